"""A run's CSV as text chunks, for streaming: the engine's rows (csv_rows_of) through
csv.writer, so the bytes are the same as write_csv's file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from loadgui.engine.export import csv_rows_of
from loadgui.engine.stats.recorder import Recorder

ROWS_PER_CHUNK = 2000


def csv_chunks(recorder: Recorder, rows_per_chunk: int = ROWS_PER_CHUNK) -> Iterator[str]:
    """The header and the rows recorded so far, `rows_per_chunk` rows per string.

    The rows, labels and messages are taken when this is called, so the chunks may be
    produced in another thread while the run goes on recording: rows added later are not
    included. Rows the recorder dropped once stored are read back from the store.
    """
    batches = recorder.batches()  # views of rows that are never written again
    labels = {name: list(names) for name, names in recorder.labels.items()}
    return _chunks(csv_rows_of(batches, labels), rows_per_chunk)


def _chunks(rows: Iterator[list[object]], rows_per_chunk: int) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    pending = 0
    for row in rows:
        writer.writerow(row)
        pending += 1
        if pending == rows_per_chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue()

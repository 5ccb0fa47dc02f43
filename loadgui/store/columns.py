"""A run's raw attempt columns on disk: numbered `.npz` chunks, written as the run goes.

Each chunk is a zip of `.npy` arrays, readable with `numpy.load` alone. Floats are random in
their low bytes, so each column is stored as its byte planes (all first bytes, then all
second bytes, ...; what Blosc calls shuffling), which deflate squeezes where plain bytes
don't; send times, nearly sorted, are first XORed with the previous one. A 1,000,000-row
run takes about 12 MB. Chunks carry the failure messages they introduce, so every chunk
that reached the disk can be read even if the run never finished.
"""

from __future__ import annotations

import contextlib
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from loadgui.engine.stats.recorder import COLUMN_TYPES, Recorder

CHUNK_FORMAT = 1
CHUNK_RE = re.compile(r"cols-(\d{6})\.npz")
_XOR_COLUMNS = frozenset({"t_start"})
# A column a chunk lacks (written by an older loadgui) reads as this; else as 0.
_DEFAULTS = {"key": -1, "final": 1}
_COPIED = {"req_latency": "latency"}  # ... or as a copy of another column


def chunk_name(number: int) -> str:
    return f"cols-{number:06d}.npz"


def chunk_files(run_dir: Path) -> list[tuple[int, Path]]:
    """The run's complete chunks, in order (a chunk being written has another name)."""
    try:
        names = os.listdir(run_dir)
    except OSError:
        return []
    found = [(int(m.group(1)), run_dir / n) for n in names if (m := CHUNK_RE.fullmatch(n))]
    return sorted(found)


def write_chunk(path: Path, columns: dict[str, np.ndarray], new_messages: list[str],
                message_base: int) -> int:
    """Write one chunk atomically (a temporary name, then a rename); returns its size.
    Raises OSError, leaving no partial chunk behind."""
    temporary = path.with_name(path.name + ".part")
    layout = []
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for name, dtype in COLUMN_TYPES.items():
                values: np.ndarray = np.ascontiguousarray(columns[name], dtype=dtype)
                xor = name in _XOR_COLUMNS
                _put(zf, name, _planes(_xored(values) if xor else values))
                layout.append(f"{name} {values.dtype.str} {'xor' if xor else '-'}")
            _put(zf, "__layout__", np.array(layout))
            _put(zf, "__messages__", np.array(new_messages, dtype=str))
            _put(zf, "__meta__", np.array([CHUNK_FORMAT, message_base], dtype=np.int64))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return path.stat().st_size


def _put(zf: zipfile.ZipFile, name: str, array: np.ndarray) -> None:
    with zf.open(name + ".npy", "w", force_zip64=True) as f:
        np.lib.format.write_array(f, array, allow_pickle=False)


def _planes(values: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(values.view(np.uint8).reshape(-1, values.itemsize).T)


def _xored(values: np.ndarray) -> np.ndarray:
    bits = values.view(np.uint64).copy()
    bits[1:] ^= values.view(np.uint64)[:-1]
    return bits


def _unxored(bits: np.ndarray) -> np.ndarray:
    out = np.bitwise_xor.accumulate(bits.view(np.uint64))
    return out.view(np.float64)


def read_chunk(path: Path) -> tuple[dict[str, np.ndarray], list[str], int]:
    """A chunk's columns, the messages it introduced and the index of the first of them.
    Raises OSError or ValueError (not a chunk, damaged, or from a newer loadgui)."""
    try:
        # The file is ours to close: numpy leaves it open when the zip is damaged.
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as npz:
            meta = npz["__meta__"]
            if int(meta[0]) > CHUNK_FORMAT:
                raise ValueError(f"{path.name} was written by a newer loadgui")
            columns: dict[str, np.ndarray] = {}
            for entry in npz["__layout__"].tolist():
                name, kind, transform = str(entry).split(" ")
                planes, dtype = npz[name], np.dtype(kind)
                if dtype.kind not in "biuf" or planes.ndim != 2 or \
                        planes.shape[0] != dtype.itemsize or planes.dtype != np.uint8:
                    raise ValueError(f"{path.name} is damaged (column {name})")
                values = np.ascontiguousarray(planes.T).view(dtype).ravel()
                columns[name] = _unxored(values) if transform == "xor" else values
            messages = [str(m) for m in npz["__messages__"].tolist()]
            base = int(meta[1])
    except (zipfile.BadZipFile, zlib.error, KeyError, EOFError, TypeError, ValueError) as exc:
        if isinstance(exc, ValueError) and str(exc).startswith(path.name):
            raise
        raise ValueError(f"{path.name} is damaged ({exc})") from None
    rows = len(next(iter(columns.values()))) if columns else 0
    for name in COLUMN_TYPES:
        if name in columns and len(columns[name]) != rows:
            raise ValueError(f"{path.name} is damaged (columns of unequal length)")
    for name, column_type in COLUMN_TYPES.items():
        if name not in columns:
            source = _COPIED.get(name)
            columns[name] = (columns[source].astype(column_type) if source in columns
                             else np.full(rows, _DEFAULTS.get(name, 0), column_type))
    return columns, messages, base


@dataclass
class StoredColumns:
    """A stored run's attempts, one row each, as the recorder had them."""

    columns: dict[str, np.ndarray]
    labels: dict[str, list[str]]
    messages: list[str]
    problems: list[str] = field(default_factory=list)  # chunks that could not be read

    def __len__(self) -> int:
        return len(self.columns["t_start"])

    def recorder(self) -> Recorder:
        """A Recorder holding these rows (to rebuild a report, or export CSV)."""
        recorder = Recorder(capacity=max(1, len(self)))
        recorder.labels = {name: list(values) for name, values in self.labels.items()}
        recorder.extend(self.columns, self.messages)
        return recorder


def iter_chunks(run_dir: Path, problems: list[str], upto: int | None = None,
                ) -> Iterator[tuple[dict[str, np.ndarray], list[str]]]:
    """A run's rows chunk by chunk (the first `upto` rows, if given), each with the names
    behind its message indices (a list that grows as chunks are read: use it before the
    next chunk). A chunk that cannot be read is skipped and said in `problems`."""
    messages = [""]
    rows = 0
    for _, path in chunk_files(run_dir):
        if upto is not None and rows >= upto:
            return
        try:
            columns, new, base = read_chunk(path)
        except (OSError, ValueError) as exc:
            problems.append(str(exc) if isinstance(exc, ValueError)
                            else f"{path.name} cannot be read ({exc.strerror or exc})")
            continue
        if base > len(messages):  # an earlier chunk was lost with its messages
            messages.extend("(message lost with a damaged chunk)"
                            for _ in range(base - len(messages)))
        messages[base:base + len(new)] = new
        count = len(columns["t_start"])
        if upto is not None and rows + count > upto:
            columns = {name: col[:upto - rows] for name, col in columns.items()}
        rows += count
        top = int(columns["message"].max()) + 1 if len(columns["message"]) else 0
        if top > len(messages):
            messages.extend("" for _ in range(top - len(messages)))
        yield columns, messages


def read_columns(run_dir: Path, labels: dict[str, list[str]]) -> StoredColumns:
    """Every readable chunk of a run, concatenated; what could not be read is in `problems`."""
    parts: list[dict[str, np.ndarray]] = []
    problems: list[str] = []
    messages = [""]
    for columns, names in iter_chunks(run_dir, problems):
        parts.append(columns)
        messages = names
    # iter_chunks made `messages` name every index of every chunk.
    joined = {name: (np.concatenate([p[name] for p in parts]) if parts
                     else np.zeros(0, dtype)) for name, dtype in COLUMN_TYPES.items()}
    return StoredColumns(joined, labels, list(messages), problems)

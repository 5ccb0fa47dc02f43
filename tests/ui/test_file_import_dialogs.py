"""File > Import > HAR…, OpenAPI… and Postman…: entries, weights, credentials and bad input,
driven by objectNames on the real window."""

from __future__ import annotations

import json
import time
from itertools import pairwise
from pathlib import Path

import pytest
from import_dialog_helpers import (  # `w`: the window with its import actions
    DATA,
    HAR_BOUND_S,
    credential_rows,
    edited,
    error_text,
    find,
    finish,
    import_and_close,
    open_dialog,
)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
)
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from loadgui.ui.import_entries import REQUEST, WEIGHT
from mock_server.threaded_server import ThreadedServer


def test_har_entries_are_checkable_with_static_assets_and_credentials_left_out(w, qtbot):
    dialog = open_dialog(w, qtbot, "importHarAction", "harImportDialog")
    assert finish(qtbot, dialog.load_source(DATA / "spec_example.har"))
    table = find(dialog, QTableView, "importEntries")
    model = table.model()
    assert model.rowCount() == 9
    assert find(dialog, QLabel, "importCount").text() == "6 of 9 selected"
    static = find(dialog, QCheckBox, "importIncludeStatic")
    assert static.text() == "Include 3 static assets" and not static.isChecked()
    rows = credential_rows(dialog)
    assert [kept for kept, _ in rows] == [False, False]
    assert "sid=••••; theme=••••" in rows[0][1] and "31d4d96e407aad42" not in rows[0][1]
    assert rows[1][1].startswith("Bearer token in Authorization (Bearer ••••d015)")

    static.setChecked(True)
    assert find(dialog, QLabel, "importCount").text() == "9 of 9 selected"
    static.setChecked(False)
    names = [model.index(row, REQUEST).data() for row in range(model.rowCount())]
    model.setData(model.index(names.index("GET /api/items?page=2"), REQUEST),
                  Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert not model.setData(model.index(0, WEIGHT), 0, Qt.ItemDataRole.EditRole)
    assert model.setData(model.index(0, WEIGHT), 10.5, Qt.ItemDataRole.EditRole)
    dialog.credentials.set_kept(0, True)  # keep the cookies, still drop the token
    assert find(dialog, QLabel, "importCount").text() == "5 of 9 selected"
    import_and_close(dialog, qtbot)

    profile = w.form.profile()
    assert [(r.name, r.weight) for r in profile.requests] == [
        ("GET /api/items?page=1", 10.5), ("POST /api/items", 2.0), ("GET /v2/stats", 2.0),
        ("GET /api/items/7", 1.0), ("POST /login", 1.0)]
    assert profile.requests[0].headers["Cookie"] == "sid=31d4d96e407aad42; theme=dark"
    assert all("Authorization" not in r.headers for r in profile.requests)
    assert profile.keys.keys == []
    assert profile.base_urls() == ["https://app.example.com", "https://api.example.net"]
    assert w.form.is_valid() and edited(w)


def test_a_truncated_har_is_one_line_and_forgets_the_last_one(w, qtbot, tmp_path):
    cut = tmp_path / "cut.har"
    cut.write_bytes((DATA / "spec_example.har").read_bytes()[:5000])
    before = w.form.profile()
    dialog = open_dialog(w, qtbot, "importHarAction", "harImportDialog")
    assert finish(qtbot, dialog.load_source(DATA / "spec_example.har"))
    assert not finish(qtbot, dialog.load_source(cut))
    assert error_text(dialog) == "The HAR file is cut short: it ends before its JSON does"
    assert find(dialog, QTableView, "importEntries").model().rowCount() == 0
    assert not find(dialog, QPushButton, "importButton").isEnabled()
    assert not finish(qtbot, dialog.load_source(tmp_path / "missing.har"))
    assert error_text(dialog).startswith("Cannot read the HAR file ")
    dialog.reject()
    assert w.form.profile() == before and not edited(w)


def write_big_har(path: Path, entries: int) -> None:
    """`entries` requests over 500 distinct URLs, written in pieces to spare memory."""
    with path.open("w", encoding="utf-8") as file:
        file.write('{"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, '
                   '"entries": [')
        for index in range(entries):
            number = index % 500
            entry = {"request": {
                "method": "GET" if number % 3 else "POST",
                "url": f"https://api.example.com/v1/items/{number}?page={number % 7}",
                "headers": [{"name": "Accept", "value": "application/json"},
                            {"name": "Authorization", "value": "Bearer abcdef0123456789"},
                            {"name": "X-Request-Id", "value": f"{index:08x}"}]},
                "response": {"status": 200, "content": {"mimeType": "application/json"}}}
            file.write(("," if index else "") + json.dumps(entry))
        file.write("]}}")


def test_a_har_of_100000_entries_imports_while_the_window_keeps_ticking(w, qtbot, tmp_path):
    har = tmp_path / "big.har"
    write_big_har(har, 100_000)
    dialog = open_dialog(w, qtbot, "importHarAction", "harImportDialog")
    busy: list[bool] = []
    dialog.busyChanged.connect(busy.append)
    ticks: list[float] = []
    ticks_while_busy: list[float] = []

    def tick() -> None:
        ticks.append(time.perf_counter())
        if dialog.busy:
            ticks_while_busy.append(ticks[-1])

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    task = dialog.load_source(har)
    assert dialog.busy and not find(dialog, QLineEdit, "importSourceEdit").isEnabled()
    assert finish(qtbot, task, timeout=int(HAR_BOUND_S * 1000)), error_text(dialog)
    elapsed = time.perf_counter() - started
    timer.stop()
    assert elapsed < HAR_BOUND_S
    assert busy == [True, False]
    during = [t for t in ticks if t <= started + elapsed]
    marks = [started, *during, started + elapsed]
    gaps = [b - a for a, b in pairwise(marks)]
    assert len(during) >= max(1, int(elapsed / 0.05) // 3), (len(during), elapsed)
    assert max(gaps) < 0.5, max(gaps)
    assert ticks_while_busy
    assert find(dialog, QTableView, "importEntries").model().rowCount() == 500
    assert "100,000 entries became 500 distinct requests" in \
        find(dialog, QLabel, "importNotes").text()
    import_and_close(dialog, qtbot)
    assert len(w.form.profile().requests) == 500


@pytest.fixture
def openapi_server():
    document = (DATA / "bookshop.yaml").read_bytes()

    async def serve(_request) -> Response:
        return Response(document, media_type="application/yaml")

    server = ThreadedServer(Starlette(routes=[Route("/openapi.yaml", serve)]))
    server.start()
    yield server.url
    server.stop()


def test_openapi_from_a_typed_url_with_chosen_operations_and_weights(w, qtbot,
                                                                      openapi_server):
    dialog = open_dialog(w, qtbot, "importOpenapiAction", "openapiImportDialog")
    find(dialog, QPushButton, "importFromTargetButton").click()
    source = find(dialog, QLineEdit, "importSourceEdit")
    assert source.text() == w.mock.url.rstrip("/") + "/openapi.json"  # filled, not fetched
    assert dialog.import_result is None and not dialog.busy
    assert finish(qtbot, dialog.load_source(f"{openapi_server}/openapi.yaml"))
    model = find(dialog, QTableView, "importEntries").model()
    names = [model.index(row, REQUEST).data() for row in range(model.rowCount())]
    assert names[:2] == ["GET /books", "POST /books"] and len(names) == 9
    find(dialog, QPushButton, "importSelectNone").click()
    assert not find(dialog, QPushButton, "importButton").isEnabled()
    for row, weight in ((0, 3.0), (2, 1.0)):
        model.setData(model.index(row, REQUEST), Qt.CheckState.Checked.value,
                      Qt.ItemDataRole.CheckStateRole)
        model.setData(model.index(row, WEIGHT), weight, Qt.ItemDataRole.EditRole)
    notes = find(dialog, QLabel, "importNotes").text()
    assert "X-API-Key" in notes and "image/png" in notes
    import_and_close(dialog, qtbot)

    profile = w.form.profile()
    assert profile.target.base_url == f"{openapi_server}/api/v1"
    assert [(r.method, r.path, r.weight) for r in profile.requests] == [
        ("GET", "/books?genre=fiction", 3.0), ("GET", "/books/{id}", 1.0)]
    assert (profile.keys.header, profile.keys.scheme, profile.keys.keys) == \
        ("X-API-Key", "", [])


def test_openapi_ref_cycles_and_bad_urls_are_one_line_each(w, qtbot, openapi_server):
    before = w.form.profile()
    dialog = open_dialog(w, qtbot, "importOpenapiAction", "openapiImportDialog")
    assert not finish(qtbot, dialog.load_source(DATA / "ref_cycle.yaml"))
    message = error_text(dialog)
    assert "$ref" in message or "requires itself" in message, message
    assert "\n" not in message
    assert not finish(qtbot, dialog.load_source(f"{openapi_server}/missing.json"))
    assert error_text(dialog).startswith("Cannot fetch the OpenAPI document ")
    assert "404" in error_text(dialog)
    dialog.reject()
    assert w.form.profile() == before


def test_postman_v21_becomes_a_mix_and_v1_is_refused(w, qtbot):
    dialog = open_dialog(w, qtbot, "importPostmanAction", "postmanImportDialog")
    assert not finish(qtbot, dialog.load_source(DATA / "shop_collection_v1.json"))
    assert error_text(dialog) == ("Postman collection v1 is not supported: export it again "
                                  "from Postman as Collection v2.1")
    find(dialog, QPlainTextEdit, "postmanVariablesEdit").setPlainText("pageSize")
    assert not finish(qtbot, dialog.load_source(DATA / "shop_collection_v21.json"))
    assert "NAME=VALUE" in error_text(dialog)
    find(dialog, QPlainTextEdit, "postmanVariablesEdit").setPlainText("pageSize=50")
    assert finish(qtbot, dialog.load_source(DATA / "shop_collection_v21.json"))
    assert error_text(dialog) == ""
    rows = credential_rows(dialog)
    assert [kept for kept, _ in rows] == [True, True]
    assert rows[0][1].endswith("the profile's API key (shown masked)")
    assert rows[1][1].endswith("left out: the profile sends one kind of key, in Authorization")
    import_and_close(dialog, qtbot)
    profile = w.form.profile()
    assert profile.requests[0].name == "Users / List users"
    assert profile.requests[0].path == "/api/users?page=1&size=50"
    assert len(profile.requests) == 7 and len(profile.keys.keys) == 1


def test_an_unexpected_failure_is_one_line_not_a_traceback(w, qtbot, monkeypatch):
    def broken(*_args, **_kwargs):
        raise KeyError("log")

    monkeypatch.setattr("loadgui.ui.import_sources.read_har", broken)
    dialog = open_dialog(w, qtbot, "importHarAction", "harImportDialog")
    assert not finish(qtbot, dialog.load_source(DATA / "spec_example.har"))
    assert error_text(dialog) == "The import failed unexpectedly (KeyError: 'log')"

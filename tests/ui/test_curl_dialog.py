"""Edit > Copy as cURL, File > Import > cURL… and a curl command pasted into the form,
driven by objectNames on the real window."""

from __future__ import annotations

from import_dialog_helpers import (  # `w`: the window with its import actions
    CURL,
    TOKEN,
    credential_rows,
    edited,
    error_text,
    find,
    finish,
    import_and_close,
    menu,
    open_dialog,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
)


def test_the_menus_hold_the_imports_and_copy_as_curl(w):
    imports = find(w, QMenu, "importMenu")
    names = [a.objectName() for a in imports.actions()]
    assert names == ["importCurlAction", "importHarAction", "importOpenapiAction",
                     "importPostmanAction"]
    assert [a.text() for a in imports.actions()] == ["&cURL…", "&HAR…", "&OpenAPI…",
                                                     "&Postman…"]
    assert imports.menuAction() in menu(w, "File").actions()
    assert find(w, QAction, "copyAsCurlAction") in menu(w, "Edit").actions()


def test_a_curl_command_fills_the_target_and_its_bearer_token_becomes_a_masked_key(w, qtbot):
    w.form.concurrency.setValue(7)  # the form's load settings outlive an import
    dialog = open_dialog(w, qtbot, "importCurlAction", "curlImportDialog")
    assert not find(dialog, QPushButton, "importButton").isEnabled()
    assert finish(qtbot, dialog.set_command(CURL))
    preview = find(dialog, QPlainTextEdit, "importPreview").toPlainText()
    assert preview.splitlines()[0] == "POST https://api.example.com/v1/items?page=2"
    assert TOKEN not in preview
    assert credential_rows(dialog) == [(True, "Bearer token in authorization (Bearer ••••8B4a)"
                                              "  →  the profile's API key (shown masked)")]
    import_and_close(dialog, qtbot)

    form = w.form
    assert find(form, QLineEdit, "baseUrlEdit").text() == "https://api.example.com"
    assert find(form, QLineEdit, "endpointEdit").text() == "/v1/items?page=2"
    assert form.method.currentText() == "POST"
    assert form.headers.headers() == {"accept": "application/json",
                                      "content-type": "application/json"}
    assert form.body.toPlainText() == '{"name":"lamp"}'
    keys = find(form, QListWidget, "keyList")
    assert [keys.item(i).text() for i in range(keys.count())] == ["••••8B4a"]
    assert form.keys.keys() == [TOKEN]
    assert (form.key_header.text().lower(), form.key_scheme.text()) == ("authorization", "Bearer")
    assert form.concurrency.value() == 7
    assert form.is_valid()
    assert edited(w)
    assert "API key" in w.statusBar().currentMessage()


def test_a_command_that_is_no_curl_says_so_and_imports_nothing(w, qtbot):
    before = w.form.profile()
    dialog = open_dialog(w, qtbot, "importCurlAction", "curlImportDialog")
    assert not finish(qtbot, dialog.set_command("wget https://example.com/file"))
    assert error_text(dialog) == ("Not a cURL command: it starts with 'wget', not curl")
    assert "Traceback" not in error_text(dialog)
    assert not find(dialog, QPushButton, "importButton").isEnabled()
    assert find(dialog, QPlainTextEdit, "importPreview").toPlainText() == ""
    dialog.reject()
    assert w.form.profile() == before and not edited(w)


def test_editing_the_command_holds_import_until_it_is_read_again(w, qtbot):
    dialog = open_dialog(w, qtbot, "importCurlAction", "curlImportDialog")
    assert finish(qtbot, dialog.set_command(CURL))
    button = find(dialog, QPushButton, "importButton")
    assert button.isEnabled()
    command = find(dialog, QPlainTextEdit, "curlCommandEdit")
    command.setPlainText(CURL.replace("page=2", "page=3"))
    assert not button.isEnabled()  # not the request shown any more
    qtbot.waitUntil(button.isEnabled)
    preview = find(dialog, QPlainTextEdit, "importPreview").toPlainText()
    assert preview.splitlines()[0].endswith("?page=3")
    command.setPlainText("curl")
    qtbot.waitUntil(lambda: error_text(dialog) == "The cURL command has no URL")
    assert not button.isEnabled() and dialog.import_result is None
    dialog.reject()


def test_ctrl_v_of_a_curl_command_into_base_url_offers_the_import(w, qtbot):
    edit = find(w.form, QLineEdit, "baseUrlEdit")
    before = edit.text()
    QGuiApplication.clipboard().setText(CURL)
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert edit.text() == before  # the command never lands in the field
    qtbot.waitUntil(lambda: w.findChild(QDialog, "curlImportDialog") is not None)
    dialog = find(w, QDialog, "curlImportDialog")
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.import_result is not None)
    assert find(dialog, QPlainTextEdit, "curlCommandEdit").toPlainText() == CURL
    assert not edited(w)
    dialog.reject()
    assert edit.text() == before and not edited(w)
    QGuiApplication.clipboard().setText("https://example.com")
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert edit.text() == "https://example.com"  # any other paste is the field's own


def test_pasting_from_the_context_menu_offers_the_import_and_puts_the_url_back(w, qtbot):
    edit = find(w.form, QLineEdit, "baseUrlEdit")
    before = edit.text()
    QGuiApplication.clipboard().setText(CURL)
    edit.selectAll()
    edit.paste()  # what the context menu's Paste does
    qtbot.waitUntil(lambda: w.findChild(QDialog, "curlImportDialog") is not None)
    dialog = find(w, QDialog, "curlImportDialog")
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.import_result is not None)
    assert edit.text() == before  # the field gets its URL back; the dialog has the command
    assert find(dialog, QPlainTextEdit, "curlCommandEdit").toPlainText() == CURL
    import_and_close(dialog, qtbot)
    assert edit.text() == "https://api.example.com"


def test_pasting_into_endpoint_too_but_typing_curl_is_left_alone(w, qtbot):
    endpoint = find(w.form, QLineEdit, "endpointEdit")
    endpoint.clear()
    qtbot.keyClicks(endpoint, "curl /x")
    qtbot.wait(50)
    assert w.findChild(QDialog, "curlImportDialog") is None
    assert endpoint.text() == "curl /x"
    endpoint.setText("/test")
    QGuiApplication.clipboard().setText("curl http://127.0.0.1:9/health")
    endpoint.selectAll()
    endpoint.paste()
    qtbot.waitUntil(lambda: w.findChild(QDialog, "curlImportDialog") is not None)
    dialog = find(w, QDialog, "curlImportDialog")
    qtbot.waitUntil(lambda: dialog.import_result is not None)
    assert endpoint.text() == "/test"
    dialog.reject()


def test_copy_as_curl_masks_the_key_unless_asked(w, qtbot):
    w.form.base_url.setText("https://api.example.com")
    w.form.endpoint.setText("/v1/items")
    w.form.keys.add_text("sk-live-0123456789abcdef")
    find(w, QAction, "copyAsCurlAction").trigger()
    dialog = find(w, QDialog, "copyCurlDialog")
    qtbot.waitUntil(dialog.isVisible)
    text = find(dialog, QPlainTextEdit, "copyCurlText")
    assert text.toPlainText().startswith("curl https://api.example.com/v1/items")
    assert '"Authorization: Bearer $LOADGUI_API_KEY"' in text.toPlainText()
    assert "sk-live" not in text.toPlainText()
    reveal = find(dialog, QCheckBox, "copyCurlRevealKey")
    reveal.setChecked(True)
    assert "'Authorization: Bearer sk-live-0123456789abcdef'" in text.toPlainText()
    reveal.setChecked(False)
    find(dialog, QPushButton, "copyCurlButton").click()
    assert QGuiApplication.clipboard().text() == text.toPlainText()
    assert not dialog.isVisible()


def test_copy_as_curl_of_an_invalid_profile_says_what_to_fix(w, qtbot):
    w.form.base_url.setText("not a url")
    find(w, QAction, "copyAsCurlAction").trigger()
    dialog = find(w, QDialog, "copyCurlDialog")
    assert find(dialog, QLabel, "copyCurlHint").text().startswith("Fix the profile first: ")
    assert not find(dialog, QPushButton, "copyCurlButton").isEnabled()
    dialog.reject()

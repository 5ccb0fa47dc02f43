"""The form's transport fields, both ways, with the proxy password never shown in clear."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from loadgui.profile import Profile
from loadgui.profile_transport import split_password, with_password, without_password
from loadgui.ui.profile_form import ProfileForm


def make_form(qtbot) -> ProfileForm:
    form = ProfileForm()
    qtbot.addWidget(form)
    return form


def test_profile_to_fields_and_back(qtbot):
    form = make_form(qtbot)
    profile = Profile()
    profile.target.base_url = "https://127.0.0.1:8443"
    profile.target.connection = "new"
    profile.target.http2 = True
    profile.target.verify_tls = False
    profile.target.proxy = "http://tester:p%40ss@127.0.0.1:3128"
    form.set_profile(profile)
    fields = form.transport_fields
    assert fields.connection.currentText() == "new"
    assert fields.http2.isChecked() and not fields.verify_tls.isChecked()
    assert fields.proxy.text() == "http://tester@127.0.0.1:3128"
    assert fields.proxy_password.echoMode() is QLineEdit.EchoMode.Password
    assert fields.proxy_password.text() == "p@ss"
    target = form.profile().target
    assert (target.connection, target.http2, target.verify_tls) == ("new", True, False)
    assert target.proxy == "http://tester:p%40ss@127.0.0.1:3128"
    assert form.is_valid()


def test_editing_a_field_is_an_edit_of_the_profile(qtbot):
    form = make_form(qtbot)
    with qtbot.waitSignal(form.changed):
        form.transport_fields.connection.setCurrentText("close")
    assert form.profile().target.connection == "close"


def test_the_fast_client_with_http2_marks_the_field(qtbot):
    form = make_form(qtbot)
    form.client.setCurrentText("fast")
    form.transport_fields.http2.setChecked(True)
    assert str(form.errors["target.http2"]) == (
        "the fast client speaks HTTP/1.1 only; use --client httpx for HTTP/2")
    assert form.transport_fields.http2.property("invalid")
    assert form.label("target.http2") == "HTTP/2"


def test_a_missing_certificate_file_marks_the_field(qtbot, tmp_path):
    form = make_form(qtbot)
    form.transport_fields.client_cert.edit.setText(str(tmp_path / "missing.pem"))
    assert "cannot read client certificate" in str(form.errors["target.client_cert"])


def test_password_split_and_join():
    assert split_password("http://u:pw@h:1") == ("http://u@h:1", "pw")
    assert split_password("http://h:1") == ("http://h:1", "")
    assert with_password("http://u@h:1", "a b@c") == "http://u:a%20b%40c@h:1"
    assert with_password("http://h:1", "pw") == "http://h:1"  # no user to give it to
    assert with_password("http://u:old@h:1", "pw") == "http://u:old@h:1"


def test_a_password_is_shown_as_stars():
    assert without_password("http://u:pw@h:1") == "http://u:***@h:1"
    assert without_password("http://h:1") == "http://h:1"

"""The profile behind the form as a file: new, open, save, examples, recent, the title."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from loadgui.profile import DEFAULT_BASE_URL, Profile, ProfileError
from loadgui.profile_http import MOCK_BASE_URL
from loadgui.ui.examples import Example, example_at
from loadgui.ui.file_dialogs import PROFILE_FILTER, ask_open_path, ask_save_path
from loadgui.ui.profile_form import ProfileForm
from loadgui.ui.recent import RecentProfiles

UNTITLED = "untitled"


class ProfileFiles(QObject):
    """Which file the form shows (`path`), or which example (`example`, a read-only copy:
    Save asks where to keep it), and whether it has unsaved edits (`dirty`)."""

    titleChanged = Signal()

    def __init__(self, parent: QWidget, form: ProfileForm, settings: QSettings,
                 show_error: Callable[[str, str], object]):
        super().__init__(parent)
        self._parent = parent
        self.form = form
        self.show_error = show_error
        self.path: Path | None = None
        self.example: Example | None = None
        self._dirty = False
        self.recent = RecentProfiles(settings, self.open_path)
        form.changed.connect(self._edited)

    @property
    def dirty(self) -> bool:
        return self._dirty

    @dirty.setter
    def dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.titleChanged.emit()

    def name(self) -> str:
        """The profile's name for titles and suggested file names."""
        if self.example is not None:
            return self.example.name
        return self.path.stem if self.path is not None else UNTITLED

    def title(self) -> str:
        if self.example is not None:
            name = f"{self.example.name} (example)"
        else:
            name = self.path.name if self.path is not None else UNTITLED
        return f"{name}{'*' if self.dirty else ''} — loadgui"

    def suggested_file_name(self) -> str:
        if self.example is not None:
            return self.example.file_name
        return self.path.name if self.path is not None else "profile.json"

    # --- opening ----------------------------------------------------------------------------
    def new(self) -> None:
        if self.dirty and not self.ask_save_changes():
            return
        profile = Profile()
        if self.form.mock_url:
            profile.target.base_url = MOCK_BASE_URL
        self.form.set_profile(profile)
        self._showing(None, None)

    def load(self, path: str | Path) -> Profile:
        """Read a profile into the form; raises ProfileError. A bundled example, however
        its path came, opens as a read-only copy aimed at the mock server."""
        profile = Profile.read(path)
        example = example_at(path)
        if example is not None:
            if profile.target.base_url == DEFAULT_BASE_URL:  # the examples' mock address
                profile = profile.draft()
                profile.target.base_url = MOCK_BASE_URL
            self.form.set_profile(profile)
            self._showing(None, example)
        else:
            self.form.set_profile(profile)
            self._showing(Path(path), None)
            self.recent.add(str(path))
        return profile

    def open_path(self, path: str | Path) -> None:
        if self.dirty and not self.ask_save_changes():
            return
        try:
            self.load(path)
        except ProfileError as exc:
            self.show_error("Cannot open profile", str(exc))

    def open_example(self, example: Example) -> None:
        self.open_path(example.path)

    def open_dialog(self) -> None:
        path = ask_open_path(self._parent, "Open profile", PROFILE_FILTER)
        if path is not None:
            self.open_path(path)

    def _showing(self, path: Path | None, example: Example | None) -> None:
        self.path, self.example, self._dirty = path, example, False
        description = example.description if example is not None else ""
        self.form.set_info(f"<b>Example:</b> {description} <i>Save keeps your copy "
                           f"where you choose.</i>" if example is not None else "")
        self.titleChanged.emit()

    # --- saving -----------------------------------------------------------------------------
    def save(self, path: str | Path, store_keys: bool = False) -> bool:
        """Write the form's profile; raises OSError. Inline API keys are left out unless
        `store_keys` (then the file is owner-only); returns whether they were written."""
        stored = self.form.profile().write(path, store_keys=store_keys)
        self._showing(Path(path), None)
        self.recent.add(str(path))
        return stored

    def save_current(self) -> bool:
        """File > Save: to the file shown; an example or a new profile asks where."""
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path)

    def save_as(self) -> bool:
        path = ask_save_path(self._parent, "Save profile", self.suggested_file_name(),
                             PROFILE_FILTER, ".json")
        return path is not None and self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        if example_at(path) is not None:
            self.show_error("Cannot save profile", f"{path.name} is one of the bundled "
                            "examples, which stay as shipped: choose another name or folder.")
            return False
        store_keys = self._ask_store_keys()
        if store_keys is None:
            return False
        try:
            self.save(path, store_keys)
        except OSError as exc:
            self.show_error("Cannot save profile", f"{path}: {exc.strerror or exc}")
            return False
        return True

    def _ask_store_keys(self) -> bool | None:
        """With inline API keys: keep them in the file? None when cancelled."""
        count = len(self.form.keys.keys())
        if not count:
            return False
        box = QMessageBox(QMessageBox.Icon.Question, "API keys",
                          f"The profile holds {count} API key{'s' if count > 1 else ''}. "
                          "Keep them in the file (readable by you only), or save the profile "
                          "without them?", QMessageBox.StandardButton.Cancel, self._parent)
        keep = box.addButton("Keep keys", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Leave keys out", QMessageBox.ButtonRole.DestructiveRole)
        if box.exec() == QMessageBox.StandardButton.Cancel:
            return None
        return box.clickedButton() is keep

    def ask_save_changes(self) -> bool:
        """True when it is fine to drop the unsaved changes (saved, or discarded)."""
        answer = QMessageBox.question(
            self._parent, "Unsaved changes", "The profile has unsaved changes. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save_current()
        return answer == QMessageBox.StandardButton.Discard

    def _edited(self) -> None:
        self.dirty = True

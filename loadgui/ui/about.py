"""Help > About (versions) and Help > README (the README, read where it is installed)."""

from __future__ import annotations

import platform
from importlib import metadata

import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

from loadgui.resources import RESOURCES

PACKAGE = "loadgui"


def version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def about_text() -> str:
    return (f"<h3>loadgui {version()}</h3>"
            "<p>A desktop HTTP load tester: point it at an API, press Start, watch it under "
            "load.</p>"
            f"<p>Qt {qVersion()} · PySide6 {pyside_version} · pyqtgraph {pg.__version__}<br>"
            f"Python {platform.python_version()} ({platform.python_implementation()}) on "
            f"{platform.system()}</p>"
            "<p>Help › README (F1) explains the window, the command line and the report.</p>")


def readme_markdown() -> str:
    """The README next to the sources, or the one the installed package carries."""
    path = RESOURCES.parent / "README.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    try:
        descriptions = metadata.metadata(PACKAGE).get_all("Description") or []
    except metadata.PackageNotFoundError:
        descriptions = []
    return next(iter(descriptions), "The README is not installed with this copy of loadgui.")


def show_about(parent: QWidget) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, "About loadgui", about_text(),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("aboutDialog")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.open()  # window-modal without a nested event loop
    return box


def show_readme(parent: QWidget, markdown: str) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName("readmeDialog")
    dialog.setWindowTitle("loadgui — README")
    browser = QTextBrowser()
    browser.setObjectName("readmeText")
    browser.setOpenExternalLinks(True)
    browser.setSearchPaths([str(RESOURCES.parent)])  # the README's screenshot
    browser.setMarkdown(markdown)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    dialog.resize(820, 640)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog

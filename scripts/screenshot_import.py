"""Take the README screenshot of File > Import > HAR…: the sample HAR read, its requests and
credentials listed for the user to choose.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_import.py
    Xvfb :99 -screen 0 1440x900x24 & DISPLAY=:99 python scripts/screenshot_import.py
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
from pathlib import Path

import qasync  # type: ignore[import-untyped]
from PySide6.QtCore import QObject, QSettings

from loadgui.ui.app import make_application
from loadgui.ui.import_dialogs import ImportActions
from loadgui.ui.import_sources import HarImportDialog
from loadgui.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_HAR = ROOT / "tests" / "imports" / "data" / "spec_example.har"
DEFAULT_PATH = ROOT / "resources" / "screenshots" / "import-har.png"


async def take(path: Path, har: Path) -> None:
    QSettings().clear()
    window = MainWindow(start_mock=False)
    window.resize(1360, 860)
    window.show()
    imports = window.findChild(QObject, "importActions")  # File > Import's actions
    assert isinstance(imports, ImportActions)
    dialog = imports.open_dialog("har")
    assert isinstance(dialog, HarImportDialog)
    dialog.resize(900, 620)
    with contextlib.suppress(ValueError):  # shown as a path inside the repository
        har = har.resolve().relative_to(Path.cwd())
    if not await dialog.load_source(har):
        raise SystemExit(f"the sample HAR did not read: {dialog.error.text()}")
    for row, credential in enumerate(dialog.import_result.credentials):  # type: ignore[union-attr]
        if credential.kind == "bearer":
            dialog.credentials.set_kept(row, True)  # the token becomes the API key
    await asyncio.sleep(0.3)  # let it paint
    path.parent.mkdir(parents=True, exist_ok=True)
    if not dialog.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)
    dialog.reject()
    window.dirty = False
    window.close()
    while not window._closed_cleanly:
        await asyncio.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH,
                        help="the PNG to write (default: resources/screenshots/import-har.png)")
    parser.add_argument("--har", type=Path, default=SAMPLE_HAR, help="the HAR file to show")
    args = parser.parse_args()
    args.path = args.path.resolve()
    os.chdir(ROOT)
    app = make_application([])
    app.setOrganizationName("loadgui-screenshot")
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(take(args.path, args.har))


if __name__ == "__main__":
    main()

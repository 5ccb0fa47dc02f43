"""Setuptools reads the project from pyproject.toml; this file only ships `resources/`.

The icons and example profiles live at the repository's root, in `resources/`. A wheel (so
`pip install .`) carries them inside the package, as `loadgui/resources/...`, where
`loadgui.resources` finds them through importlib.resources. An editable install reads them
from the checkout instead, so nothing is copied then.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "resources"
SHIPPED = ("icons", "profiles")  # folders; not the README's screenshots
SHIPPED_FILES = ("examples.json",)  # the examples' names and descriptions


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib, "loadgui", "resources")
        for name in SHIPPED:
            shutil.copytree(SOURCE / name, target / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
        for name in SHIPPED_FILES:
            shutil.copy2(SOURCE / name, target / name)


setup(cmdclass={"build_py": BuildPyWithResources})

"""A regular install (a wheel, not an editable install) ships the icons and example profiles,
and finds them where it put them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
PROJECT_DIRS = ("loadgui", "mock_server", "resources")
BUILD_TIMEOUT_S = 120

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(BUILD_TIMEOUT_S + 60)]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `command` in its own process group; on a timeout the group is killed by its id."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=BUILD_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built offline from a copy of the working tree (the build writes
    build/ and *.egg-info beside its sources)."""
    # setuptools < 70.1 builds wheels with `wheel`, which the test extra installs.
    import wheel as _  # noqa: F401
    base = tmp_path_factory.mktemp("packaging")
    source, out = base / "source", base / "dist"
    source.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    result = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                  "--no-index", "--disable-pip-version-check", "-q", "-w", str(out),
                  str(source)], cwd=base)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("loadgui-*.whl")
    return built


def test_the_wheel_carries_the_icons_and_example_profiles(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "loadgui/resources.py" in names
    assert "loadgui/resources/icons/loadgui.svg" in names
    assert "loadgui/resources/examples.json" in names  # the examples' names, descriptions
    examples = {p.name for p in (ROOT / "resources" / "profiles").glob("*.json")}
    assert examples, "the repository has example profiles"
    assert {n.rpartition("/")[2] for n in names
            if n.startswith("loadgui/resources/profiles/")} == examples
    assert not any(n.startswith("resources/") for n in names)  # no stray top-level folder
    assert not any(n.endswith("screenshot.png") for n in names)  # the README's, not the app's


def test_an_installed_wheel_finds_its_resources(wheel: Path, tmp_path: Path):
    """Unpacked as pip installs it, and imported without the checkout on the path (-I -S:
    no site-packages, so not this venv's editable loadgui either)."""
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); "
            "from loadgui.resources import RESOURCES, example_profiles, resource; "
            "print(RESOURCES); print(resource('icons', 'loadgui.svg').is_file()); "
            "print(len(example_profiles()))")
    result = run([sys.executable, "-I", "-S", "-c", code, str(site)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder, icon, examples = result.stdout.split()
    assert Path(folder) == site / "loadgui" / "resources"
    assert icon == "True"
    assert int(examples) == len(list((ROOT / "resources" / "profiles").glob("*.json")))


def test_a_checkout_reads_the_repository_resources():
    from loadgui.resources import RESOURCES, example_profiles, resource

    assert RESOURCES == ROOT / "resources"
    assert resource("icons", "loadgui.svg").is_file()
    assert len(example_profiles()) == len(list((ROOT / "resources" / "profiles").glob("*.json")))

"""Renaming and tagging stored runs: kept in the catalog and in run.json (a rebuilt catalog
keeps them), selected by `tag:TAG`, listed by `loadgui runs list`, changed by `loadgui runs
rename|tag|untag` (run in-process through `loadgui.commands.main.main`)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from test_store_faults import save_synthetic

from loadgui.commands.main import main
from loadgui.store import RunStore, StoreError, UnknownRun
from loadgui.store.manifest import read_manifest
from loadgui.store.paths import CATALOG_FILE


def test_rename_and_tag_show_in_run_info_and_run_json(store):
    run = save_synthetic(store, name="smoke")
    assert (run.name, run.tags) == ("smoke", ())

    renamed = store.rename(run.id, "  before the fix ")
    tagged = store.tag(run.id, ["release", "baseline", "release"])
    assert renamed.name == "before the fix"
    assert (tagged.name, tagged.tags) == ("before the fix", ("baseline", "release"))
    assert store.info(run.id) == tagged and store.list_runs() == [tagged]
    record = read_manifest(store.runs_dir / run.uid)
    assert (record["name"], record["tags"]) == ("before the fix", ["baseline", "release"])
    assert tagged.size_bytes == sum(p.stat().st_size
                                    for p in (store.runs_dir / run.uid).iterdir())
    assert tagged.to_dict()["tags"] == ["baseline", "release"]

    untagged = store.untag(run.id, ["baseline", "never-had-it"])
    assert untagged.tags == ("release",)
    assert read_manifest(store.runs_dir / run.uid)["tags"] == ["release"]


def test_a_rebuilt_catalog_keeps_names_and_tags(store, home):
    run = save_synthetic(store, name="smoke")
    store.rename(run.id, "renamed")
    store.tag(run.id, ["keep"])
    for suffix in ("", "-wal", "-shm"):
        (home / f"{CATALOG_FILE}{suffix}").unlink(missing_ok=True)

    again = RunStore.open(home)
    info = again.info(run.id)
    assert (info.name, info.tags) == ("renamed", ("keep",))
    assert again.select("tag:keep").id == run.id


def test_a_catalog_of_an_earlier_loadgui_gets_the_tags_column(store, home):
    run = save_synthetic(store)
    with sqlite3.connect(home / CATALOG_FILE) as conn:
        conn.execute("ALTER TABLE runs DROP COLUMN tags")
    again = RunStore.open(home)
    assert again.info(run.id).tags == ()
    assert again.tag(run.id, ["x"]).tags == ("x",)


def test_tag_selector_picks_the_newest_tagged_run(store):
    a, b, c = (save_synthetic(store, name="smoke", seed=seed) for seed in (1, 2, 3))
    store.tag(a.id, ["nightly"])
    store.tag(b.id, ["nightly"])
    store.tag(c.id, ["other"])
    assert store.select("tag:nightly").id == b.id
    assert store.select("tag:nightly~1").id == a.id
    with pytest.raises(UnknownRun, match="no finished run is tagged 'nope'"):
        store.select("tag:nope")
    with pytest.raises(UnknownRun, match="only 2 runs tagged 'nightly'"):
        store.select("tag:nightly~2")
    store.rename(c.id, "renamed")
    assert store.select("renamed").id == c.id and store.select("smoke").id == b.id


@pytest.mark.parametrize(("call", "message"), [
    (lambda s, i: s.rename(i, "  "), "cannot be empty"),
    (lambda s, i: s.rename(i, "two\nlines"), "one line"),
    (lambda s, i: s.tag(i, ["has space"]), "without spaces or commas"),
    (lambda s, i: s.tag(i, ["a,b"]), "without spaces or commas"),
    (lambda s, i: s.untag(i, [""]), "without spaces or commas"),
    (lambda s, i: s.tag(i, []), "at least one tag"),
])
def test_bad_names_and_tags_change_nothing(store, call, message):
    run = save_synthetic(store, name="smoke")
    before = (store.runs_dir / run.uid / "run.json").read_bytes()
    with pytest.raises(StoreError, match=message):
        call(store, run.id)
    assert store.info(run.id) == run
    assert (store.runs_dir / run.uid / "run.json").read_bytes() == before


def test_an_unknown_or_unfinished_run_is_refused(store):
    with pytest.raises(UnknownRun, match="no stored run has id 99"):
        store.rename(99, "x")
    from loadgui.profile import Profile

    with store.begin_run(Profile(), name="going") as writer, \
            pytest.raises(StoreError, match="still being saved"):
        store.tag(writer.id, ["x"])


# --- the command line ----------------------------------------------------------------------
def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_rename_tag_untag_and_list(store, capsys):
    run = save_synthetic(store, name="smoke")
    code, _, err = run_cli(capsys, "runs", "rename", str(run.id), "baseline run")
    assert code == 0 and "renamed run 1 from 'smoke' to 'baseline run'" in err
    code, _, err = run_cli(capsys, "runs", "tag", str(run.id), "v2", "release")
    assert code == 0 and "is tagged: release, v2" in err
    assert run_cli(capsys, "runs", "untag", "tag:v2", "v2")[0] == 0

    code, out, _ = run_cli(capsys, "runs", "list", "--json")
    listed = json.loads(out)
    assert code == 0 and (listed[0]["name"], listed[0]["tags"]) == ("baseline run", ["release"])
    code, out, _ = run_cli(capsys, "runs", "list")
    line = out.splitlines()[1]
    assert "baseline run" in line and line.endswith("tags: release")
    code, out, _ = run_cli(capsys, "runs", "show", "tag:release")
    assert code == 0 and "  tags: release" in out
    assert RunStore.open().info(run.id).tags == ("release",)


@pytest.mark.parametrize(("argv", "message"), [
    (("runs", "rename", "42", "x"), "no stored run has id 42"),
    (("runs", "rename", "1", " "), "cannot be empty"),
    (("runs", "tag", "1", "two words"), "without spaces or commas"),
    (("runs", "tag", "1", "a,b"), "without spaces or commas"),
    (("runs", "untag", "99", "x"), "no stored run has id 99"),
    (("runs", "tag", "tag:missing", "x"), "no finished run is tagged 'missing'"),
])
def test_cli_bad_input_is_one_line_and_exit_2(store, capsys, argv, message):
    save_synthetic(store, name="smoke")
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err, err
    assert RunStore.open().info(1).tags == ()


def test_cli_tag_without_tags_is_a_usage_error(store, capsys):
    save_synthetic(store)
    code, _, err = run_cli(capsys, "runs", "tag", "1")
    assert code == 2 and len(err.splitlines()) == 1


def test_an_exported_run_keeps_its_name_and_tags(store, tmp_path):
    run = save_synthetic(store, name="smoke")
    store.rename(run.id, "shared")
    store.tag(run.id, ["release"])
    path = store.export_run(run.id, tmp_path / "run")
    elsewhere = RunStore.open(tmp_path / "elsewhere")
    imported = elsewhere.import_run(path)
    assert (imported.name, imported.tags) == ("shared", ("release",))
    assert read_manifest(elsewhere.runs_dir / run.uid)["tags"] == ["release"]

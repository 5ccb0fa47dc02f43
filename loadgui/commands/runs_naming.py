"""`loadgui runs rename|tag|untag`: name a stored run, or tag it (`tag:TAG` then selects
the newest run tagged so)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from loadgui.commands.common import EXIT_OK

if TYPE_CHECKING:
    from loadgui.store import RunInfo, RunStore


def add_naming_actions(actions: Any, run_help: str) -> None:
    """Add the three actions to `loadgui runs`' subparsers."""
    rename = actions.add_parser("rename", help="give a stored run another name")
    rename.add_argument("run", metavar="RUN", help=run_help)
    rename.add_argument("name", metavar="NAME", help="its new name (selects it from then on)")
    tag = actions.add_parser("tag", help="tag a stored run (tag:TAG selects it)")
    tag.add_argument("run", metavar="RUN", help=run_help)
    tag.add_argument("tags", nargs="+", metavar="TAG", help="one word: no spaces or commas")
    untag = actions.add_parser("untag", help="remove tags from a stored run")
    untag.add_argument("run", metavar="RUN", help=run_help)
    untag.add_argument("tags", nargs="+", metavar="TAG")


def _rename(store: RunStore, args: argparse.Namespace) -> int:
    before = store.select(args.run)
    info = store.rename(before.id, args.name)
    print(f"loadgui: renamed run {info.id} from {before.name!r} to {info.name!r}",
          file=sys.stderr)
    return EXIT_OK


def _tag(store: RunStore, args: argparse.Namespace) -> int:
    _said(store.tag(store.select(args.run).id, args.tags))
    return EXIT_OK


def _untag(store: RunStore, args: argparse.Namespace) -> int:
    _said(store.untag(store.select(args.run).id, args.tags))
    return EXIT_OK


def _said(info: RunInfo) -> None:
    tags = ", ".join(info.tags) if info.tags else "none"
    print(f"loadgui: run {info.id} ({info.name}) is tagged: {tags}", file=sys.stderr)


NAMING_ACTIONS: dict[str, Callable[[RunStore, argparse.Namespace], int]] = {
    "rename": _rename, "tag": _tag, "untag": _untag}

"""`python -m loadgui.service`: `loadgui serve` before (or without) the CLI wiring."""

import sys

from loadgui.cli import OneLineParser
from loadgui.service.command import add_serve_arguments, run_serve


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="loadgui serve",
                           description="Serve the trigger/status HTTP API for runs.")
    add_serve_arguments(parser)
    return run_serve(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())

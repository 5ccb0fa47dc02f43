"""What every command shares: the one-line usage errors and the exit codes."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr, not the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"loadgui: error: {message}", file=sys.stderr)
    return code

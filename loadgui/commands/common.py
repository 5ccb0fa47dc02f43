"""What every command shares: the one-line usage errors, the exit codes and whole-number
flags."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
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


def whole_number(low: int | None = None, *, auto: bool = False) -> Callable[[str], int | str]:
    """An argparse type: a whole number, at least `low` when given; "auto" too with `auto`."""

    def parse(text: str) -> int | str:
        if auto and text == "auto":
            return text
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number{' or auto' if auto else ''}, got {text!r}") from None
        if low is not None and value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, got {value}")
        return value

    return parse

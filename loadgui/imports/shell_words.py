"""A shell command line as words, the way bash would split it (without running anything)."""

from __future__ import annotations

import re
import shlex

from loadgui.imports.errors import ImportInputError

_SIMPLE_ESCAPES = {
    "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r",
    "t": "\t", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?",
}
_BYTE_ESCAPE = re.compile(r"x([0-9a-fA-F]{1,2})|([0-7]{1,3})")
_UNICODE_ESCAPE = re.compile(r"u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})")
_CONTINUATION = re.compile(r"\\\r?\n")


def split_command(command: str) -> list[str]:
    """The words of a command line: quotes removed, `\\` line continuations joined.

    shlex does the splitting. It knows neither bash's ANSI-C quoting `$'…'` (which Chrome
    uses for a value holding a quote, a `!` or a control character) nor line continuations
    (it would keep the newline as a word), so both are rewritten here first: each `$'…'`
    becomes an ordinary quoted word holding its decoded text.
    """
    rewritten = _rewrite_for_shlex(command)
    try:
        return shlex.split(rewritten, posix=True)
    except ValueError as exc:
        raise ImportInputError(f"the command cannot be split into words: {exc}") from None


def _rewrite_for_shlex(command: str) -> str:
    out: list[str] = []
    i, quote = 0, ""
    while i < len(command):
        char = command[i]
        continuation = _CONTINUATION.match(command, i) if quote != "'" else None
        if continuation:
            i = continuation.end()
            continue
        if quote:
            if char == "\\" and quote == '"' and i + 1 < len(command):
                out.append(command[i:i + 2])
                i += 2
                continue
            if char == quote:
                quote = ""
            out.append(char)
        elif char == "\\" and i + 1 < len(command):
            out.append(command[i:i + 2])
            i += 1
        elif command.startswith("$'", i):
            text, i = _ansi_c_text(command, i + 2)
            out.append(shlex.quote(text))
            continue
        else:
            if char in "'\"":
                quote = char
            out.append(char)
        i += 1
    return "".join(out)


def _ansi_c_text(command: str, start: int) -> tuple[str, int]:
    """The decoded text of the `$'…'` whose body starts at `start`, and the index past it.
    `\\xHH` and octal escapes are bytes: a run of them is decoded as UTF-8, as a terminal
    would show them."""
    text: list[str] = []
    pending = bytearray()
    i = start
    while i < len(command):
        char = command[i]
        byte = _BYTE_ESCAPE.match(command, i + 1) if char == "\\" else None
        if byte:
            hex_digits, octal_digits = byte.groups()
            pending.append(int(hex_digits, 16) if hex_digits else int(octal_digits, 8) & 0xFF)
            i = byte.end()
            continue
        text.append(pending.decode("utf-8", errors="replace"))
        pending.clear()
        if char == "'":
            return "".join(text), i + 1
        escape = command[i + 1] if char == "\\" and i + 1 < len(command) else ""
        unicode = _UNICODE_ESCAPE.match(command, i + 1) if escape else None
        if unicode:
            value = int(unicode.group(1) or unicode.group(2), 16)
            valid = value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF
            text.append(chr(value) if valid else "\ufffd")
            i = unicode.end()
        elif escape in _SIMPLE_ESCAPES:
            text.append(_SIMPLE_ESCAPES[escape])
            i += 2
        elif escape == "c" and i + 2 < len(command):
            text.append(chr(ord(command[i + 2]) & 0x1F))
            i += 3
        elif escape:  # bash keeps an escape it does not know as it is
            text.append(command[i:i + 2])
            i += 2
        else:
            text.append(char)
            i += 1
    raise ImportInputError("the command has a $'…' quote that is never closed")

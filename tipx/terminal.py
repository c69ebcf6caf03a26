"""Text bound for a terminal or stderr: control characters shown as escapes (``\\x1b``,
``\\n``) and undecodable file-name bytes (``surrogateescape``) shown as ``\\xff``, so a hostile
file name or PDF text layer can neither drive the terminal nor forge a line. (Rich markup is
never applied to such text: tables and titles take it as ``Text``.)"""

from __future__ import annotations

import re

# C0 (but tab), DEL, C1, and the lone surrogates os.fsdecode makes of non-UTF-8 bytes.
_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte surrogateescape could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` with every control character and lone surrogate written as an escape."""
    return _UNSAFE.sub(_escape, str(text))

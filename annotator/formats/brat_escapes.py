"""brat values on one line with ``\\`` escapes: ``.ann`` notes, ``visual.conf`` label names.

A note is one field of one line, so ``\\``, line breaks and tabs are written as ``\\\\``,
``\\n``, ``\\r``, ``\\t`` (``\\u`` and four hex digits for other line breaks). A label name in
``visual.conf`` ``[labels]`` may not hold ``|`` (brat's name separator) or ``<`` (brat reads
``<...>`` as a macro and refuses the whole configuration when it is undefined), so those
are written as ``\\u007c`` and ``\\u003c``. :func:`unescape` reverses both.
"""

from __future__ import annotations

import re

BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_NOTE_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)


def escape_note(note: str) -> str:
    """A note as one ``.ann`` field: no line break, no tab."""
    out = []
    for char in note:
        if char in _NOTE_ESCAPES:
            out.append(_NOTE_ESCAPES[char])
        elif char in BREAKS:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def escape_label(name: str) -> str:
    """A label name as brat can show it in ``visual.conf`` ``[labels]``."""
    return name.replace("\\", "\\\\").replace("|", "\\u007c").replace("<", "\\u003c")


def unescape(value: str) -> str:
    """Reverse :func:`escape_note` and :func:`escape_label`."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u") and len(code) == 5:
            return chr(int(code[1:], 16))
        return {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}.get(code, match.group(0))

    return _UNESCAPE.sub(replace, value)

"""Text from files shown on a terminal: control characters made visible, never obeyed.

A file name or a reason quoting one may hold escape sequences (which a terminal would run)
or line breaks (which would split the one line a failure promises); each becomes a visible
``\\xNN`` escape.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with every C0/C1 control character and DEL shown as ``\\xNN``."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)

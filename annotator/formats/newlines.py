"""Universal newlines: a text with its CRLF and lone CR line breaks written as LF.

Readers that open text files with universal newlines (Python's ``open`` by default, brat
v1.3, pybrat, bioc) see a different text, and count offsets in it, whenever the file has a
CR. :class:`NewlineMap` maps offsets between a text and that form, both ways, so a format
can write (or read) offsets that every such reader agrees with.
"""

from __future__ import annotations


def universal_newlines(text: str) -> str:
    """``text`` as a reader with universal newlines sees it: CRLF and CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class NewlineMap:
    """Offsets between ``text`` and ``universal_newlines(text)``.

    An offset between the CR and the LF of a CRLF maps to the position of its one LF.
    """

    __slots__ = ("_from_lf", "_to_lf", "lf_text", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lf_text = universal_newlines(text)
        self._to_lf: list[int] | None = None
        self._from_lf: list[int] | None = None
        if "\r" not in text:
            return
        to_lf = [0] * (len(text) + 1)
        from_lf: list[int] = []
        at = 0
        while at < len(text):
            to_lf[at] = len(from_lf)
            from_lf.append(at)
            if text.startswith("\r\n", at):
                to_lf[at + 1] = len(from_lf) - 1
                at += 2
            else:
                at += 1
        to_lf[len(text)] = len(from_lf)
        from_lf.append(len(text))
        self._to_lf, self._from_lf = to_lf, from_lf

    @property
    def changed(self) -> bool:
        """Whether the two texts differ (the text has a CR)."""
        return self._to_lf is not None

    def to_lf(self, offset: int) -> int:
        """An offset into ``text`` as an offset into ``lf_text``."""
        return offset if self._to_lf is None else self._to_lf[offset]

    def from_lf(self, offset: int) -> int:
        """An offset into ``lf_text`` as an offset into ``text``."""
        return offset if self._from_lf is None else self._from_lf[offset]

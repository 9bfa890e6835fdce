"""The one exception type the core raises for invalid input or state."""

from __future__ import annotations


class AnnotatorError(Exception):
    """A clear, user-facing error: the message is meant to be shown as it is.

    Every invalid call of the service API (offsets outside the text, an unknown label or
    document, a project written by a newer version, ...) raises this and changes nothing.
    """

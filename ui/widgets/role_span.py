"""Answering an item delegate's span of data roles in one call into Python.

QStyledItemDelegate.initStyleOption asks a model for seven roles per painted cell in one
`multiData` span (through `data()` that is seven calls into Python). Every entry read from
Python is a wrapper made and freed, and the delegate keeps one span for all its cells (a
value left in place is the last cell's), so in the delegate's own span only the roles a
model serves are read, and each is set or cleared. Any other span is answered role by role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt

_Role = Qt.ItemDataRole
# The roles QStyledItemDelegate.initStyleOption asks for, in its order (Qt 6; tests pin it):
# font, alignment, foreground, check state, decoration, display, background.
DELEGATE_ROLES = tuple(role.value for role in (
    _Role.FontRole, _Role.TextAlignmentRole, _Role.ForegroundRole, _Role.CheckStateRole,
    _Role.DecorationRole, _Role.DisplayRole, _Role.BackgroundRole))


def delegate_places(roles: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """(place in the delegate's span, role) of each of ``roles`` a model serves."""
    return tuple((DELEGATE_ROLES.index(role), role) for role in roles)


def fill_roles(span: Any, served: tuple[tuple[int, int], ...],
               value_of: Callable[[int], Any]) -> None:
    """Set (or clear, for None) each entry of ``span`` to ``value_of(role)``: in the
    delegate's span (its known order, checked) only the ``served`` places."""
    # PySide's stub of QModelRoleDataSpan allows neither len(), [] nor iteration.
    if len(span) == len(DELEGATE_ROLES):
        for place, role in served:
            role_data = span[place]
            if role_data.role() != role:
                break
            value = value_of(role)
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)
        else:
            return
    for role_data in span:
        value = value_of(role_data.role())
        if value is None:
            role_data.clearData()
        else:
            role_data.setData(value)

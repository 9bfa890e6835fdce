"""Label management: the tag set of a project, its colours, keys and order."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from annotator.changes import ADDED, REMOVED, UPDATED
from annotator.errors import AnnotatorError
from annotator.formats.model import LabelStyle
from annotator.models import Annotation, Label, utcnow
from annotator.records import LabelRecord
from annotator.service.base import ProjectBase
from annotator.service.changelog import note_annotations
from annotator.service.checks import check_storable
from annotator.service.relation_store import cascade_delete
from annotator.service.relation_types import rename_label_in_types

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. The first three are the defaults for claim, source and fact.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")
DEFAULT_LABELS = (
    ("claim", "#E69F00", "1", "A statement presented as true that can be checked."),
    ("source", "#56B4E9", "2", "Who or what a claim is attributed to."),
    ("fact", "#009E73", "3", "A verifiable statement of fact."),
)
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_SHORT_COLOR = re.compile(r"^#[0-9A-Fa-f]{3}$")
BAD_COLOR = "label colour(s) not in #RRGGBB form (a palette colour was given instead)"
BAD_KEY = "label key(s) not usable as a shortcut (the label has no key)"
KEY_TAKEN = "label key(s) already used by another label (the label has no key)"
PROJECT_STYLE = "label colour(s) or key(s) different from this project's label (the project's kept)"


def next_color(used: set[str]) -> str:
    """The first palette colour not in ``used`` (upper case), cycling once all are taken."""
    return next((c for c in PALETTE if c not in used), PALETTE[len(used) % len(PALETTE)])


def _record(row: Label) -> LabelRecord:
    return LabelRecord(row.name, row.color, row.key, row.description or "", row.order)


def _clean_name(name: str) -> str:
    cleaned = check_storable((name or "").strip(), "the label name")
    if not cleaned:
        raise AnnotatorError("a label name must not be empty")
    if len(cleaned) > 200 or any(c in cleaned for c in "\t\n\r"):
        raise AnnotatorError(f"invalid label name {name!r}: at most 200 characters, one line")
    return cleaned


def clean_color(color: str) -> str:
    """``#RRGGBB`` in upper case; AnnotatorError for anything else."""
    if not _COLOR.match(color or ""):
        raise AnnotatorError(f"invalid colour {color!r}: use #RRGGBB")
    return color.upper()


def clean_key(key: str | None) -> str | None:
    """A shortcut key (None for none); AnnotatorError for one with spaces or too long."""
    if key is None or key == "":
        return None
    if len(key) > 20 or any(c.isspace() for c in key):
        raise AnnotatorError(f"invalid shortcut key {key!r}")
    return key


def _file_color(color: str) -> str | None:
    """A file's colour as ``#RRGGBB`` (``#RGB`` expanded), None when it is in no such form."""
    color = color.strip()
    if _SHORT_COLOR.match(color):
        color = "#" + "".join(c * 2 for c in color[1:])
    return color.upper() if _COLOR.match(color) else None


def apply_label_styles(
    session: Session, styles: Mapping[str, LabelStyle], created: Sequence[str]
) -> Counter[str]:
    """Give the labels an import just ``created`` the colour and key their file declares.

    Labels the project already had keep their own colour and key (a difference is
    counted); a colour in no ``#RRGGBB`` form keeps the palette colour and a key that is
    invalid or taken is left off. Returns what was not kept (reason -> count).
    """
    lost: Counter[str] = Counter()
    live = {row.name: row for row in session.scalars(select(Label).where(~Label.removed))}
    taken = {row.key for row in live.values() if row.key is not None}
    for name, style in styles.items():
        row = live.get(name)
        if row is None:
            continue
        if name not in created:
            color = _file_color(style.color) if style.color else None
            if (color and color != row.color.upper()) or (style.key and style.key != row.key):
                lost[PROJECT_STYLE] += 1
            continue
        if style.color:
            color = _file_color(style.color)
            if color is None:
                lost[BAD_COLOR] += 1
            else:
                row.color = color
        if style.key:
            try:
                key = clean_key(style.key)
            except AnnotatorError:
                lost[BAD_KEY] += 1
                continue
            if key in taken:
                lost[KEY_TAKEN] += 1
            elif key is not None:
                row.key = key
                taken.add(key)
    session.flush()
    return lost


class LabelsMixin(ProjectBase):
    def labels(self) -> list[LabelRecord]:
        """The project's labels in their display order."""
        with self._reading() as session:
            rows = session.scalars(
                select(Label).where(Label.removed.is_(False)).order_by(Label.order, Label.id)
            )
            return [_record(row) for row in rows]

    def add_label(
        self, name: str, color: str | None = None, key: str | None = None, description: str = ""
    ) -> LabelRecord:
        """Add a label at the end of the order; a colour is picked from the palette if omitted."""
        name = _clean_name(name)
        key = clean_key(key)
        with self._writing(f"add label {name}") as (session, changes):
            changes.label(name, ADDED)
            live = list(session.scalars(select(Label).where(Label.removed.is_(False))))
            if any(row.name == name for row in live):
                raise AnnotatorError(f"a label named {name!r} already exists")
            self._check_key_free(live, key, None)
            if color is None:
                used = {row.color.upper() for row in live}
                color = next_color(used)
            order = max((row.order for row in live), default=-1) + 1
            row = session.scalar(select(Label).where(Label.name == name))
            if row is None:
                row = Label(name=name)
                session.add(row)
            row.color, row.key = clean_color(color), key
            row.description = check_storable(description or "", "the description")
            row.order, row.removed = order, False
            session.flush()
            return _record(row)

    def update_label(
        self,
        name: str,
        *,
        new_name: str | None = None,
        color: str | None = None,
        key: str | None = None,
        description: str | None = None,
    ) -> LabelRecord:
        """Rename, recolour, re-key or re-describe a label. ``key=""`` removes its key."""
        with self._writing(f"change label {name}") as (session, changes):
            row = self._label_row(session, name)
            changes.label(name, UPDATED)
            live = list(session.scalars(select(Label).where(Label.removed.is_(False))))
            if new_name is not None and new_name != row.name:
                new_name = _clean_name(new_name)
                taken = session.scalar(select(Label).where(Label.name == new_name))
                if taken is not None and not taken.removed:
                    raise AnnotatorError(f"a label named {new_name!r} already exists")
                if taken is not None:
                    # A removed label of that name only keeps tombstones alive; free its name.
                    taken.name = f"{new_name} (removed {taken.id})"
                    session.flush()
                row.name = new_name
                changes.label(new_name, ADDED)
                changes.label(name, REMOVED)
                self._touch_annotations(session, row)
                for kind in rename_label_in_types(session, name, new_name):
                    changes.relation_type(kind, UPDATED)
            if color is not None:
                row.color = clean_color(color)
            if key is not None:
                row.key = clean_key(key)
                self._check_key_free(live, row.key, row.id)
            if description is not None:
                row.description = check_storable(description, "the description")
            session.flush()
            return _record(row)

    def reorder_labels(self, names: Sequence[str]) -> list[LabelRecord]:
        """Put the labels in the order given; it must name every label exactly once."""
        with self._writing("reorder labels") as (session, changes):
            live = {row.name: row for row in session.scalars(select(Label).where(~Label.removed))}
            if sorted(names) != sorted(live):
                raise AnnotatorError("the new order must name every label exactly once")
            for name in names:
                changes.label(name, UPDATED)
            for position, name in enumerate(names):
                live[name].order = position
        return self.labels()

    def label_usage(self, name: str) -> int:
        """How many live annotations carry the label."""
        with self._reading() as session:
            row = self._label_row(session, name)
            count = session.scalar(
                select(func.count()).where(Annotation.label_id == row.id, ~Annotation.deleted)
            )
            return int(count or 0)

    def remove_label(self, name: str, *, force: bool = False) -> int:
        """Remove a label; one in use is refused unless ``force``, which tombstones its annotations
        (and their relations).

        Returns the number of annotations removed with it.
        """
        with self._writing(f"remove label {name}") as (session, changes):
            row = self._label_row(session, name)
            changes.label(name, REMOVED)
            in_use = int(
                session.scalar(
                    select(func.count()).where(Annotation.label_id == row.id, ~Annotation.deleted)
                )
                or 0
            )
            if in_use and not force:
                raise AnnotatorError(
                    f"label {name!r} is used by {in_use} annotation(s); remove them first or force"
                )
            if in_use:
                ids = list(session.scalars(select(Annotation.id).where(
                    Annotation.label_id == row.id, ~Annotation.deleted)))
                note_annotations(session, changes, ids, REMOVED)
                cascade_delete(session, changes, ids)
                session.execute(
                    update(Annotation)
                    .where(Annotation.label_id == row.id, ~Annotation.deleted)
                    .values(deleted=True, updated=utcnow())
                )
            row.removed = True
            row.key = None
            return in_use

    @staticmethod
    def _check_key_free(live: list[Label], key: str | None, own_id: int | None) -> None:
        if key is None:
            return
        for other in live:
            if other.key == key and other.id != own_id:
                raise AnnotatorError(f"key {key!r} is already used by label {other.name!r}")

    @staticmethod
    def _touch_annotations(session: Session, row: Label) -> None:
        """A rename changes what the label's annotations export as, so they count as updated.

        The change log records the rename itself (a label removed, one added), not every
        annotation: views reload what they show when labels change.
        """
        session.execute(
            update(Annotation).where(Annotation.label_id == row.id).values(updated=utcnow())
        )


def seed_default_labels(session: Session) -> None:
    for order, (name, color, key, description) in enumerate(DEFAULT_LABELS):
        session.add(Label(name=name, color=color, key=key, description=description, order=order))

"""Links in the window, without a mode switch: who said it.

With an annotation selected, ``L`` starts a link. Tab / Shift+Tab cycle the candidate
partners nearest first (only labels some relation type connects to the selected one, in
either direction), Enter confirms, Escape cancels, clicking a candidate confirms it. When
more than one type fits, their number keys (in the scheme's order) choose; Enter then asks.
Links are undoable commands; what the view draws follows the published ``Changes``
(:meth:`Links.apply_changes`, called from the window's one refresh point).

Selecting or hovering an annotation draws only its own links (a connector to each partner,
the partner outlined, an edge tag when it is off screen); choosing a row of the Relations
panel selects both of its ends. Claims without a source are marked in the text and
counted in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget

from annotator import AnnotatorError, Changes, Project
from annotator.records import AnnotationRecord, RelationRecord, RelationTypeRecord
from annotator.suggest import ATTRIBUTED_TO
from ui.operations.commands import AddRelationCommand, DeleteRelationCommand
from ui.workspace.annotation_editing import AnnotationEditing
from ui.workspace.annotation_model import AnnotationTableModel
from ui.workspace.colleague_link_question import ask_remove_colleague_link
from ui.workspace.document_view import DocumentView
from ui.workspace.overlay import Link, Mark
from ui.workspace.relation_table import RelationTable, RelationTableModel
from ui.workspace.unsourced import UnsourcedClaims

DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A partner the selected annotation may be linked with, and the ways it may."""

    annotation_id: str
    kinds: tuple[tuple[str, bool], ...]  # (type, selected is the relation's "from" end)
    distance: int


def candidates(source: AnnotationRecord, records: Sequence[AnnotationRecord],
               types: Sequence[RelationTypeRecord],
               taken: set[tuple[str, str, str]]) -> list[Candidate]:
    """Who ``source`` may be linked with, nearest first: any type whose labels fit, in
    either direction, leaving out links ``taken`` (from, to, type) already."""
    found: list[Candidate] = []
    for record in records:
        if record.id == source.id:
            continue
        kinds: list[tuple[str, bool]] = []
        for kind in types:
            for forward, a, b in ((True, source, record), (False, record, source)):
                fits = ((not kind.from_labels or a.label in kind.from_labels)
                        and (not kind.to_labels or b.label in kind.to_labels))
                if fits and (a.id, b.id, kind.name) not in taken:
                    kinds.append((kind.name, forward))
                    break
        if kinds:
            distance = (record.start - source.end if record.start >= source.end
                        else source.start - record.end if record.end <= source.start else 0)
            found.append(Candidate(record.id, tuple(kinds), max(distance, 0)))
    found.sort(key=lambda c: (c.distance, c.annotation_id))
    return found


class Links(QObject):
    """overlayChanged when what the view should draw of links changes."""

    overlayChanged = Signal()
    countChanged = Signal(int)  # claims without a source in the open document

    def __init__(self, project_source: Callable[[], Project], undo_stack: QUndoStack,
                 view: DocumentView, editing: AnnotationEditing, model: AnnotationTableModel,
                 table: RelationTable, window: QWidget) -> None:
        super().__init__(window)
        self._project_source = project_source
        self._stack = undo_stack
        self._view = view
        self._editing = editing
        self._model = model
        self.table = table
        self.table_model: RelationTableModel = table.model()  # type: ignore[assignment]
        self.relations: list[RelationRecord] = []
        self._of_annotation: dict[str, list[RelationRecord]] = {}
        self.types: list[RelationTypeRecord] = []
        self._types_of: Project | None = None  # the project `types` were read from
        self._hovered = ""
        self._pinned: str | None = None  # a relation chosen in the panel
        self._source: str | None = None  # link mode: the annotation being linked
        self._candidates: list[Candidate] = []
        self._at = 0
        self._asking_type = False
        self._unsourced = UnsourcedClaims(self._mark)
        # Replaceable in tests: True to remove a colleague's link.
        self.ask_remove_theirs: Callable[[RelationRecord], bool] = (
            lambda record: ask_remove_colleague_link(window, record))

        self.link_action = QAction("&Link to…", window)
        self.link_action.setObjectName("linkAction")
        self.link_action.setShortcut(QKeySequence("L"))
        # As N: window scope, so a focused text field (which claims printable keys through
        # ShortcutOverride) keeps its L.
        self.link_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.link_action.setStatusTip(
            "Link the selected annotation: Tab picks the partner, Enter confirms, Esc cancels")
        self.link_action.triggered.connect(self.start)
        window.addAction(self.link_action)
        self.unlink_action = QAction("Remove selected lin&k", window)
        self.unlink_action.setObjectName("unlinkAction")
        self.unlink_action.triggered.connect(self.delete_chosen)
        window.addAction(self.unlink_action)

        # The keys of link mode: the filter is on the view only while a link is being made
        # (every event the view gets otherwise, a key press's own among them, would cost a
        # call into Python here).
        view.annotationHovered.connect(self._hover)
        view.annotationActivated.connect(self._activated)
        view.annotationSelectionCleared.connect(self._selection_cleared)
        view.selectionMoved.connect(self._selection_moved)
        editing.documentLoaded.connect(self._document_loaded)
        table.relationChosen.connect(self.choose_relation)

    @property
    def _project(self) -> Project:
        return self._project_source()

    # -- what is shown -------------------------------------------------------------

    def _document_loaded(self) -> None:
        # Relation types change only by a write whose Changes name them (apply_changes
        # reloads them then) or with another project: an open reads the relations alone,
        # or has them already (read with the document's annotations, of the same moment).
        self.reload(types=self._types_of is not self._project,
                    relations=self._editing.opened_relations)

    def reload(self, *, types: bool = True,
               relations: Sequence[RelationRecord] | None = None) -> None:
        """Re-read the open document's relations (unless given, as read with its
        annotations) and (``types``) the project's relation types."""
        document = self._editing.document
        try:
            if types:
                self._types_of = None
                self.types = self._project.relation_types()
                self._types_of = self._project
            if relations is not None and document is not None:
                self.relations = list(relations)
            else:
                self.relations = self._project.relations(document.id) if document else []
        except AnnotatorError as error:
            self._editing.message.emit(str(error))
            self.relations = []
        self._of_annotation = {}
        for relation in self.relations:
            for end in dict.fromkeys((relation.from_id, relation.to_id)):
                self._of_annotation.setdefault(end, []).append(relation)
        if self._source is not None and self._model.find(self._source) is None:
            self.cancel()
        self._refill()

    def apply_changes(self, changes: Changes) -> None:
        document = self._editing.document
        if document is None:
            return
        if (changes.reset or changes.relation_types or changes.labels
                or document.id in changes.relation_documents.values()):
            self.reload()
            return
        changed = changes.annotations_in(document.id)
        if not changed:
            return
        # A key press adds an annotation no link touches yet: the panel stays as it is, and
        # the claims follow the changed annotations alone (not every one in the document).
        if any(a in self._of_annotation for a in changed):
            self._fill_table()
        if self._unsourced.update((a, self._model.find(a)) for a in changed):
            self.countChanged.emit(len(self._unsourced))
            self.overlayChanged.emit()

    def _refill(self) -> None:
        self._fill_table()
        self._count_unsourced()
        self.overlayChanged.emit()

    def _fill_table(self) -> None:
        shown = [r for r in self.relations
                 if self._model.find(r.from_id) and self._model.find(r.to_id)]
        self.table_model.set_relations(shown, self._model.find, self._model.passage)
        if self._pinned is not None:
            self.table.show_relation(self._pinned)

    def _count_unsourced(self) -> None:
        kind = next((t for t in self.types if t.name == ATTRIBUTED_TO), None)
        attributed = [r.from_id for r in self.relations if r.type == ATTRIBUTED_TO]
        if kind is None:
            self._unsourced.rebuild((), (), (), lambda _: False, ())
        else:
            labels = frozenset(kind.from_labels)
            # The claims picked from the rows' columns, in C: no record made, no Python
            # call per annotation.
            ids, starts, ends, row_labels = self._model.columns()
            if labels:
                picked = list(map(labels.__contains__, row_labels))
                ids, starts, ends = (tuple(compress(ids, picked)),
                                     tuple(compress(starts, picked)),
                                     tuple(compress(ends, picked)))
            self._unsourced.rebuild(starts, ends, ids,
                                    lambda r: not labels or r.label in labels, attributed)
        self.countChanged.emit(len(self._unsourced))

    def unsourced_count(self) -> int:
        return len(self._unsourced)

    def unsourced_marks(self) -> Sequence[Mark]:
        """Claims without a source in text order; marks are made where the painter looks."""
        return self._unsourced.marks()

    def _mark(self, annotation_id: str) -> Mark | None:
        record = self._model.find(annotation_id)
        span = self._view.span(annotation_id)
        if record is None or span is None:
            return None
        text = self._view.core_text()[record.start:record.end]
        return Mark(record.start, record.end, span.color, record.label, text)

    def focus(self) -> str | None:
        """Whose links are drawn: the hovered annotation, else the selected one."""
        return self._hovered or self._view.selected_annotation()

    def links(self) -> tuple[Link, ...]:
        """The connectors to draw now: the link being made, or the pinned relation, or the
        focused annotation's own links."""
        if self._source is not None:
            candidate = self.candidate()
            source = self._mark(self._source)
            target = self._mark(candidate.annotation_id) if candidate else None
            if source is None or target is None or candidate is None:
                return ()
            kind, forward = candidate.kinds[0]
            return (Link(source, target, kind, forward, proposed=True),)
        # A chosen row holds while its "from" end stays selected.
        selected = self._view.selected_annotation()
        pinned = [r for r in self._of_annotation.get(selected or "", ())
                  if r.id == self._pinned and r.from_id == selected]
        if pinned and not self._hovered:
            return self._links_of(pinned, pinned[0].from_id)
        focus = self.focus()
        if not focus:
            return ()
        return self._links_of(self._of_annotation.get(focus, ()), focus)

    def _links_of(self, relations: Sequence[RelationRecord], focus: str) -> tuple[Link, ...]:
        # An annotation without links (one just tagged) draws none: no mark made for it.
        here = self._mark(focus) if relations else None
        if here is None:
            return ()
        drawn: list[Link] = []
        for relation in relations:
            forward = relation.from_id == focus
            partner = self._mark(relation.to_id if forward else relation.from_id)
            if partner is not None:
                drawn.append(Link(here, partner, relation.type, forward))
        return tuple(drawn)

    def partners(self) -> list[tuple[int, int]]:
        """The (start, end) of the passages outlined as partners now."""
        return [(link.target.start, link.target.end) for link in self.links()]

    def _selection_moved(self, _: str) -> None:
        # The drawn links follow the selection; a key press moves it from a tag without
        # links to the new one, which has none either: the overlay stays as it is.
        if self._view.overlay().links or self.links():
            self.overlayChanged.emit()

    def _hover(self, annotation_id: str) -> None:
        self._hovered = annotation_id
        self.overlayChanged.emit()

    def _activated(self, annotation_id: str) -> None:
        if self._source is not None and annotation_id != self._source:
            chosen = next((i for i, c in enumerate(self._candidates)
                           if c.annotation_id == annotation_id), None)
            if chosen is None:
                self._editing.message.emit("That annotation cannot be linked to this one")
                self._view.select_annotation(self._source, scroll=False)
                return
            self._at = chosen
            self.confirm()
            return
        self._unpin()

    def _selection_cleared(self) -> None:
        self._unpin()
        self.overlayChanged.emit()

    def _unpin(self) -> None:
        if self._pinned is not None:
            self._pinned = None
            self.table.show_relation(None)
        self.overlayChanged.emit()

    def choose_relation(self, relation_id: str) -> None:
        """A row of the panel: select its "from" end and outline its "to" end."""
        relation = next((r for r in self.relations if r.id == relation_id), None)
        if relation is None:
            return
        self.cancel()
        self._editing.select(relation.from_id)
        self._pinned = relation_id
        self.table.show_relation(relation_id)
        self.overlayChanged.emit()

    def delete_chosen(self) -> None:
        relation = next((r for r in self.relations if r.id == self._pinned), None)
        if relation is None:
            self._editing.message.emit("Choose a link in the Relations panel first")
            return
        theirs = relation.annotator != self._project.user
        if theirs and not self.ask_remove_theirs(relation):
            return
        self._pinned = None
        self._stack.push(DeleteRelationCommand(self._project, self._editing, relation, theirs))

    # -- link mode -----------------------------------------------------------------------

    def active(self) -> bool:
        return self._source is not None

    def candidate(self) -> Candidate | None:
        return self._candidates[self._at] if self._candidates else None

    def candidate_ids(self) -> list[str]:
        return [c.annotation_id for c in self._candidates]

    def start(self) -> bool:
        """``L``: begin linking the selected annotation; False (saying why) if it cannot."""
        source = self._editing.selected()
        if source is None:
            self._editing.message.emit("Select an annotation to link (click it or press Tab)")
            return False
        user = self._project.user
        taken = {(r.from_id, r.to_id, r.type) for r in self.relations if r.annotator == user}
        found = candidates(source, self._model.records(), self.types, taken)
        if not found:
            self._editing.message.emit(
                f"No annotation in this document can be linked to this {source.label}")
            return False
        if self._source is None:
            self._view.installEventFilter(self)
        self._source, self._candidates, self._at = source.id, found, 0
        self._asking_type = False
        self._pinned = None
        self._view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._say()
        self.overlayChanged.emit()
        return True

    def step(self, by: int) -> None:
        if self._candidates:
            self._at = (self._at + by) % len(self._candidates)
            self._asking_type = False
            self._say()
            self.overlayChanged.emit()

    def cancel(self) -> None:
        if self._source is not None:
            self._source, self._candidates, self._asking_type = None, [], False
            self._view.removeEventFilter(self)
            self._editing.message.emit("Link cancelled")
            self.overlayChanged.emit()

    def confirm(self, number: int | None = None) -> str | None:
        """Make the link to the current candidate; ``number`` picks the type (1: the first
        that fits). With several types and no number, ask for one."""
        candidate = self.candidate()
        source = self._source
        if candidate is None or source is None or self._editing.document is None:
            return None
        if number is None and len(candidate.kinds) > 1:
            self._asking_type = True
            self._say()
            return None
        index = (number or 1) - 1
        if not 0 <= index < len(candidate.kinds):
            return None
        kind, forward = candidate.kinds[index]
        ends = (source, candidate.annotation_id) if forward else (candidate.annotation_id, source)
        self._source, self._candidates, self._asking_type = None, [], False
        self._view.removeEventFilter(self)
        command = AddRelationCommand(self._project, self._editing, self._editing.document.id,
                                     ends[0], ends[1], kind)
        self._stack.push(command)
        self._view.select_annotation(source, scroll=False)
        self.overlayChanged.emit()
        return command.relation_id

    def _say(self) -> None:
        candidate = self.candidate()
        if candidate is None:
            return
        record = self._model.find(candidate.annotation_id)
        what = f"{record.label} \u201c{self._model.passage(record)}\u201d" if record else ""
        kinds = "  ".join(f"{n} {k.replace('_', ' ')}"
                          for n, (k, _) in enumerate(candidate.kinds, start=1))
        if self._asking_type:
            self._editing.message.emit(f"Which link to {what}? Press {kinds}")
        else:
            more = f" ({kinds})" if len(candidate.kinds) > 1 else ""
            self._editing.message.emit(
                f"Link to {what}{more} — {self._at + 1} of {len(self._candidates)}: "
                "Tab next, Enter confirm, Esc cancel")

    # -- keys ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._source is None or not isinstance(event, QKeyEvent):
            return False
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        shift = mods == Qt.KeyboardModifier.ShiftModifier
        plain = mods == Qt.KeyboardModifier.NoModifier
        ours = (key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and (plain or shift)) or (
            plain and (key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
                       or key in DIGITS))
        if not ours:
            return False
        event.accept()
        if event.type() == QEvent.Type.ShortcutOverride:
            return True  # the key comes back as a key press, not as a window shortcut
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.step(-1 if key == Qt.Key.Key_Backtab or shift else 1)
        elif key == Qt.Key.Key_Escape:
            self.cancel()
        elif key in DIGITS:
            self.confirm(DIGITS[key])
        else:
            self.confirm()
        return True

"""Suggestions in the window: unsaved proposals drawn with a dashed outline.

Document › Suggest annotations runs the rule-based suggester on a worker thread (the window
never waits for it, however long the document); "Tag all occurrences" proposes the
selected annotation's label on every other occurrence of its passage. Proposals live here
only, never in the project: nothing exports or counts them until accepted.

Keys, in the text, while proposals are shown: Enter accepts the focused one with its links
(and the partners those need), Backspace rejects it, Shift+Enter accepts every proposal of
the document as one undo step, ``]`` / ``[`` move between them. ``]`` and ``[`` are review
mode's too: they move between proposals only while review mode is off. Accepting goes
through an undoable command and records each annotation's and link's rule; rejecting
records the rejection in the project, with the links proposed with it
(``reject_suggestions``), so ``suggest-stats`` can say how often each rule's proposals were
kept. What the user rejected is never shown again: the project says what that is
(``without_rejected``, the rule ``annotator suggest`` follows too), when suggesting again
and whenever a rejection is recorded, in this window or another open on the project.

A document's proposals stay, in memory, for the rest of the session: while it is open, and
when it is opened again (until discarded, or the project or user changes). Document › Stop
suggesting cancels a run (see :mod:`ui.workspace.suggest_run`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QMouseEvent, QUndoStack
from PySide6.QtWidgets import QWidget

from annotator import AnnotatorError, Changes, Project
from annotator.suggest import Suggestion, Suggestions
from ui.operations.commands import AcceptSuggestionsCommand
from ui.workspace.annotation_editing import AnnotationEditing
from ui.workspace.annotation_model import AnnotationTableModel
from ui.workspace.document_view import DocumentView
from ui.workspace.overlay import Link, Mark
from ui.workspace.suggest_run import SuggestRun

SAME_PASSAGE = "same_passage"  # the rule "Tag all occurrences" proposals remember
HINT = "Enter accept \u00b7 Backspace reject"

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def subset(suggestions: Suggestions, chosen: Sequence[int]) -> Suggestions:
    """The ``chosen`` proposals, the partners their links need, and those links,
    re-indexed. (Rejected proposals and links are no longer in ``suggestions``.)"""
    wanted = set(chosen)
    links = [r for r in suggestions.relations if r.source in wanted or r.target in wanted]
    for relation in links:
        wanted.update((relation.source, relation.target))
    return suggestions.restricted(wanted, links)


class Proposals(QObject):
    """overlayChanged when what the view should draw of proposals changes."""

    overlayChanged = Signal()

    def __init__(self, project_source: Callable[[], Project], undo_stack: QUndoStack,
                 view: DocumentView, editing: AnnotationEditing, model: AnnotationTableModel,
                 review_active: Callable[[], bool], window: QWidget) -> None:
        super().__init__(window)
        self._project_source = project_source
        self._stack = undo_stack
        self._view = view
        self._editing = editing
        self._model = model
        self._review_active = review_active
        self._colors: Callable[[str], str] = lambda _: "#999999"
        self._by_document: dict[str, Suggestions] = {}
        self._shown: list[int] = []  # indexes into the open document's suggestions, text order
        self._focused: int | None = None  # an index into the suggestions
        self.suggest_action = _action(window, "&Suggest annotations", "suggestAction",
                                      "Ctrl+Shift+S", self.suggest,
                                      "Propose sources, claims, facts and links for this "
                                      "document (rule-based; nothing is saved until accepted)")
        self.stop_action = QAction("S&top suggesting", window)
        self.stop_action.setObjectName("stopSuggestingAction")
        self.stop_action.setStatusTip("Cancel the suggestions being made")
        window.addAction(self.stop_action)
        self._run = SuggestRun(self.stop_action, self)
        self._run.suggested.connect(self._suggested)
        self._run.message.connect(editing.message)
        self.runner = self._run.runner
        self.accept_all_action = _action(window, "&Accept all suggestions",
                                         "acceptAllSuggestionsAction", "", self.accept_all,
                                         "Accept every suggestion of this document "
                                         "(Shift+Enter in the text)")
        self.discard_action = _action(window, "&Discard suggestions",
                                      "discardSuggestionsAction", "", self.discard,
                                      "Forget this document's suggestions")
        self.tag_all_action = _action(window, "&Tag all occurrences", "tagAllAction",
                                      "Ctrl+Shift+T", lambda: self.tag_all_occurrences(),
                                      "Propose the selected annotation's label on every other "
                                      "occurrence of its passage in this document")
        self.tag_all_project_action = _action(
            window, "Tag all occurrences in the &project", "tagAllProjectAction", "",
            lambda: self.tag_all_occurrences(whole_project=True),
            "The same, in every document of the project")
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        editing.documentLoaded.connect(self._document_loaded)

    @property
    def _project(self) -> Project:
        return self._project_source()

    def set_colors(self, colors: Callable[[str], str]) -> None:
        self._colors = colors
        self.overlayChanged.emit()

    def forget(self) -> None:
        """Another project, or another user: proposals made for the old one go."""
        self._by_document.clear()
        self._refresh()

    # -- making proposals --------------------------------------------------------------

    def suggest(self) -> bool:
        """Run the suggester on the open document off the GUI thread."""
        document = self._editing.document
        if document is None:
            self._editing.message.emit("Open a document first")
            return False
        return self._run.start(document.id, document.text)

    def stop(self) -> None:
        """Stop suggesting (see :class:`SuggestRun`)."""
        self._run.stop()

    def _suggested(self, document_id: str, result: Suggestions) -> None:
        try:
            result = self._project.without_rejected(document_id, result)
        except AnnotatorError as error:  # the document was deleted meanwhile, say
            self._editing.message.emit(str(error))
            return
        self._by_document[document_id] = result
        self._refresh()
        if self.current_document() == document_id:
            self._focus_first()
        self._say(f"{len(self._shown)} suggestions")

    def tag_all_occurrences(self, whole_project: bool = False) -> int:
        """Propose the selected annotation's label on the other occurrences of its passage;
        returns how many were proposed."""
        record = self._editing.selected()
        if record is None:
            self._editing.message.emit("Select an annotation first (click it or press Tab)")
            return 0
        try:
            found = self._project.tag_all_occurrences(record.id, whole_project)
        except AnnotatorError as error:
            self._editing.message.emit(str(error))
            return 0
        by_document: dict[str, list[Suggestion]] = {}
        for proposal in found:
            by_document.setdefault(proposal.document_id, []).append(Suggestion(
                proposal.label, proposal.start, proposal.end, proposal.text, 1.0,
                SAME_PASSAGE))
        for document_id, added in by_document.items():
            self._add(document_id, added)
        self._refresh()
        if by_document.get(record.document_id):
            self._focus_first()
        places = f" in {len(by_document)} documents" if whole_project else ""
        self._say(f"{len(found)} other occurrences{places}")
        return len(found)

    def _add(self, document_id: str, added: Sequence[Suggestion]) -> None:
        before = self._by_document.get(document_id)
        old = before.annotations if before else ()
        known = {(s.start, s.end, s.label) for s in old}
        fresh = tuple(s for s in added if (s.start, s.end, s.label) not in known)
        self._by_document[document_id] = Suggestions(
            before.language if before else "", old + fresh, before.relations if before else ())

    # -- what is shown ----------------------------------------------------------------

    def current_document(self) -> str | None:
        return self._editing.document.id if self._editing.document else None

    def suggestions(self) -> Suggestions | None:
        current = self.current_document()
        return self._by_document.get(current) if current else None

    def shown(self) -> list[Suggestion]:
        """The open document's proposals still waiting, in text order."""
        suggestions = self.suggestions()
        return [suggestions.annotations[i] for i in self._shown] if suggestions else []

    def focused(self) -> Suggestion | None:
        suggestions = self.suggestions()
        if suggestions is None or self._focused is None:
            return None
        return suggestions.annotations[self._focused]

    def apply_changes(self, changes: Changes) -> None:
        decided = self._by_document.keys() if changes.reset else changes.suggestion_documents
        for document_id in [d for d in self._by_document if d in decided]:
            self._drop_rejected(document_id)
        current = self.current_document()
        if current in self._by_document and (
                changes.reset or changes.labels or changes.annotations_in(current)):
            self._refresh()

    def _document_loaded(self) -> None:
        self._focused = None
        self._refresh()

    def _refresh(self) -> None:
        """Which proposals wait: not rejected, not already one of the user's annotations."""
        suggestions = self.suggestions()
        if suggestions is None:
            self._shown, self._focused = [], None
            self.overlayChanged.emit()
            return
        user = self._project.user
        mine = {(r.start, r.end, r.label) for r in self._model.records() if r.annotator == user}
        self._shown = sorted(
            (i for i, s in enumerate(suggestions.annotations)
             if (s.start, s.end, s.label) not in mine),
            key=lambda i: (suggestions.annotations[i].start, suggestions.annotations[i].end))
        if self._focused not in self._shown:
            self._focused = None
        self.overlayChanged.emit()

    def marks(self) -> tuple[Mark, ...]:
        suggestions = self.suggestions()
        if suggestions is None:
            return ()
        return tuple(Mark(s.start, s.end, self._colors(s.label), s.label, s.text)
                     for s in (suggestions.annotations[i] for i in self._shown))

    def focused_position(self) -> int | None:
        """The focused proposal's place among ``marks()``."""
        return self._shown.index(self._focused) if self._focused in self._shown else None

    def links(self) -> tuple[Link, ...]:
        """The focused proposal's proposed links, dashed."""
        suggestions, focused = self.suggestions(), self._focused
        if suggestions is None or focused is None:
            return ()
        drawn: list[Link] = []
        for relation in suggestions.relations:
            if focused not in (relation.source, relation.target):
                continue
            forward = relation.source == focused
            other = relation.target if forward else relation.source
            here, there = suggestions.annotations[focused], suggestions.annotations[other]
            drawn.append(Link(self._mark(here), self._mark(there), relation.type, forward,
                              proposed=True))
        return tuple(drawn)

    def _mark(self, s: Suggestion) -> Mark:
        return Mark(s.start, s.end, self._colors(s.label), s.label, s.text)

    # -- moving, accepting, rejecting ------------------------------------------------------

    def step(self, by: int) -> Suggestion | None:
        if not self._shown:
            return None
        if self._focused in self._shown:
            at = (self._shown.index(self._focused) + by) % len(self._shown)
        else:
            caret = self._view.position_to_offset(self._view.textCursor().position())
            suggestions = self.suggestions()
            assert suggestions is not None
            after = [k for k, i in enumerate(self._shown)
                     if suggestions.annotations[i].start >= caret]
            at = (after[0] if after else 0) if by > 0 else ((after[0] - 1) if after else -1)
            at %= len(self._shown)
        self._focus(self._shown[at])
        return self.focused()

    def _focus_first(self) -> None:
        if self._shown:
            self._focus(self._shown[0])

    def _focus(self, index: int) -> None:
        self._focused = index
        focused = self.focused()
        if focused is not None:
            self._view.select_annotation(None)
            self._view.set_selection_range(focused.start, focused.start)
            self._view.ensureCursorVisible()
            self._say(f"{self._shown.index(index) + 1} of {len(self._shown)}: {focused.label} "
                      f"\u201c{_short(focused.text, 32)}\u201d")
        self.overlayChanged.emit()

    def _say(self, what: str) -> None:
        self._editing.message.emit(
            f"{what} \u2014 Enter accept \u00b7 Backspace reject \u00b7 Shift+Enter all")

    def accept_focused(self) -> list[str]:
        """Accept the focused proposal with its links; returns the new annotation ids."""
        suggestions, focused = self.suggestions(), self._focused
        if suggestions is None or focused is None:
            return []
        position = self._shown.index(focused)
        chosen = subset(suggestions, [focused])
        label = suggestions.annotations[focused].label
        added = self._accept(chosen, f"Accept suggested {label}")
        if self._shown:
            self._focus(self._shown[min(position, len(self._shown) - 1)])
        return added

    def accept_all(self) -> list[str]:
        """Every waiting proposal of the document, as one undo step."""
        suggestions = self.suggestions()
        if suggestions is None or not self._shown:
            self._editing.message.emit("No suggestions to accept")
            return []
        chosen = subset(suggestions, self._shown)
        return self._accept(chosen, f"Accept {len(self._shown)} suggestions")

    def _accept(self, chosen: Suggestions, title: str) -> list[str]:
        document_id = self.current_document()
        assert document_id is not None
        command = AcceptSuggestionsCommand(self._project, self._editing, document_id, chosen,
                                           title)
        self._stack.push(command)
        return command.added_ids

    def reject_focused(self) -> None:
        """Reject the focused proposal with the links proposed with it: they go, and the
        project records the rejections."""
        focused, suggestions = self._focused, self.suggestions()
        document_id = self.current_document()
        if focused is None or suggestions is None or document_id is None:
            return
        position = self._shown.index(focused)
        try:
            self._project.reject_suggestions(document_id, suggestions, [focused])
        except AnnotatorError as error:
            self._editing.message.emit(str(error))
            return
        self._drop_rejected(document_id)  # done already if the write's Changes came first
        if self._shown:
            self._focus(self._shown[min(position, len(self._shown) - 1)])

    def _drop_rejected(self, document_id: str) -> None:
        """Leave out of a document's proposals what the user rejected (here, or in another
        window: the project knows), keeping the focus on the proposal it was on."""
        suggestions = self._by_document.get(document_id)
        if suggestions is None:
            return
        try:
            kept = self._project.without_rejected(document_id, suggestions)
        except AnnotatorError:  # the document is gone: so are its proposals
            kept = Suggestions(suggestions.language, (), ())
        if kept == suggestions:
            return
        self._by_document[document_id] = kept
        if document_id == self.current_document():
            focused = None if self._focused is None else suggestions.annotations[self._focused]
            self._focused = (kept.annotations.index(focused)
                             if focused in kept.annotations else None)
            self._refresh()

    def discard(self) -> None:
        current = self.current_document()
        if current is not None:
            self._by_document.pop(current, None)
            self._refresh()

    # -- keys and clicks ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._shown:
            return False
        if isinstance(event, QMouseEvent) and event.type() == QEvent.Type.MouseButtonRelease:
            offset = self._view.char_at(event.position())
            suggestions = self.suggestions()
            if offset is not None and suggestions is not None:
                hit = [i for i in self._shown
                       if suggestions.annotations[i].start <= offset
                       < suggestions.annotations[i].end]
                if hit and not self._view.spans_at(offset):
                    self._focus(hit[0])
            return False
        if not isinstance(event, QKeyEvent) or event.type() not in (
                QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = mods == Qt.KeyboardModifier.NoModifier
        focused = self._focused is not None
        if key in _ENTER and mods == Qt.KeyboardModifier.ShiftModifier:
            act: Callable[[], object] = self.accept_all
        elif key in _ENTER and plain and focused:
            act = self.accept_focused
        elif key == Qt.Key.Key_Backspace and plain and focused:
            act = self.reject_focused
        elif key in (Qt.Key.Key_BracketRight, Qt.Key.Key_BracketLeft) and (
                plain or mods == Qt.KeyboardModifier.ShiftModifier) and not self._review_active():
            step = 1 if key == Qt.Key.Key_BracketRight else -1
            act = lambda: self.step(step)  # noqa: E731
        else:
            return False
        event.accept()
        if event.type() == QEvent.Type.KeyPress:
            act()
        return True


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _action(window: QWidget, text: str, name: str, key: str, slot: Callable[[], object],
            tip: str) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if key:
        action.setShortcut(QKeySequence(key))
    action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action

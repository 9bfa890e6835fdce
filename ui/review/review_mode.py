"""Review mode: step through a colleague's annotations and accept, reject or comment.

`]`/`[` move through the annotations of the chosen colleague that the current user had not
accepted or rejected when review began; `A` accepts, `R` rejects, `C` opens the comment
editor. Acting on an annotation moves on to the next one still unreviewed. Verdicts go
through the core (Project.accept/reject/review_annotation); :class:`ReviewCache` keeps
every review in memory so the table's status and comment columns stay current.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QToolBar, QWidget

from annotator import AnnotatorError, Changes
from annotator.records import AnnotationRecord, ReviewRecord, review_status
from annotator.review_records import DISMISSED, GOLD
from ui.feature_host import WorkspaceHost
from ui.review.comment_editor import CommentEditor
from ui.review.layers import Layers
from ui.widgets.annotator_badges import initials
from ui.widgets.plain_text import plain_label

VERDICT_WORDS = {"accepted": "accepted", "rejected": "rejected", "comment": "commented",
                 DISMISSED: "dismissed"}


class ReviewCache:
    """Every review by annotation id, oldest first; status = latest accept/reject verdict."""

    def __init__(self) -> None:
        self._by_annotation: dict[str, list[ReviewRecord]] = defaultdict(list)

    def load(self, reviews: Iterable[ReviewRecord]) -> None:
        self._by_annotation.clear()
        for review in reviews:
            self._by_annotation[review.annotation_id].append(review)

    def add(self, review: ReviewRecord) -> None:
        self._by_annotation[review.annotation_id].append(review)

    def replace(self, annotation_id: str, reviews: Iterable[ReviewRecord]) -> None:
        self._by_annotation[annotation_id] = list(reviews)

    def reviews(self, annotation_id: str) -> list[ReviewRecord]:
        return list(self._by_annotation.get(annotation_id, ()))

    def status(self, annotation_id: str) -> str:
        return review_status(self._by_annotation.get(annotation_id, []))

    def comments(self, annotation_id: str) -> str:
        """One line per review with a comment: "bob (rejected): too long"."""
        return "\n".join(
            f"{r.reviewer} ({VERDICT_WORDS.get(r.verdict, r.verdict)}): {r.comment}"
            for r in self._by_annotation.get(annotation_id, ()) if r.comment
        )

    def table_rows(self, annotation_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """(status, comments) of those of `annotation_ids` that have reviews; the others
        are pending without comments, and opening a document costs no work for them."""
        reviewed = self._by_annotation
        return {i: (self.status(i), self.comments(i)) for i in annotation_ids
                if reviewed.get(i)}

    def reviewed(self) -> list[str]:
        """Ids of the annotations with reviews (a few, beside a document's thousands)."""
        return [i for i, reviews in self._by_annotation.items() if reviews]


def _action(window: QWidget, text: str, name: str, keys: str, tip: str) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    action.setShortcut(QKeySequence(keys))
    action.setToolTip(f"{tip} ({keys})")
    action.setStatusTip(tip)
    window.addAction(action)
    return action


class ReviewMode(QObject):
    """The review mode's state, actions and toolbar (the window places the toolbar)."""

    changed = Signal()

    def __init__(self, host: WorkspaceHost, layers: Layers, window: QWidget) -> None:
        super().__init__(window)
        self.host = host
        self.layers = layers
        self.cache = ReviewCache()
        self.active = False
        self.colleague: str | None = None
        self._queue: list[AnnotationRecord] = []
        self._done: set[str] = set()
        self._position = -1

        self.toggle_action = QAction("&Review mode", window)
        self.toggle_action.setObjectName("reviewModeAction")
        self.toggle_action.setCheckable(True)
        self.toggle_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.toggle_action.setToolTip(
            "Review a colleague's annotations: ] next, [ previous, A accept, R reject, "
            "C comment (Ctrl+Shift+R)")
        self.toggle_action.toggled.connect(self.set_active)
        window.addAction(self.toggle_action)
        self.next_action = _action(window, "&Next to review", "reviewNextAction", "]",
                                   "Next annotation to review")
        self.previous_action = _action(window, "&Previous to review", "reviewPreviousAction",
                                       "[", "Previous annotation to review")
        self.accept_action = _action(window, "&Accept", "reviewAcceptAction", "A",
                                     "Accept this annotation")
        self.reject_action = _action(window, "Re&ject", "reviewRejectAction", "R",
                                     "Reject this annotation")
        self.comment_action = _action(window, "&Comment…", "reviewCommentAction", "C",
                                      "Comment on this annotation")
        self.next_action.setIconText("Next ›")
        self.previous_action.setIconText("‹ Previous")
        self.comment_action.setIconText("Comment")
        self.next_action.triggered.connect(lambda: self.step(1))
        self.previous_action.triggered.connect(lambda: self.step(-1))
        self.accept_action.triggered.connect(lambda: self.verdict("accepted"))
        self.reject_action.triggered.connect(lambda: self.verdict("rejected"))
        self.comment_action.triggered.connect(self.open_comment_editor)
        self.to_gold_action = QAction("Accepting copies to &gold", window)
        self.to_gold_action.setObjectName("acceptToGoldAction")
        self.to_gold_action.setCheckable(True)
        self.to_gold_action.setChecked(host.settings.accept_copies_to_gold())
        self.to_gold_action.setStatusTip("When you accept an annotation, also put it in gold")
        self.to_gold_action.toggled.connect(host.settings.set_accept_copies_to_gold)

        self.comment_editor = CommentEditor(window)
        self.comment_editor.submitted.connect(self.add_comment)

        self.toolbar = QToolBar("Review", window)
        self.toolbar.setObjectName("reviewToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.toggle_action)
        self.colleague_box = QComboBox(self.toolbar)
        self.colleague_box.setObjectName("reviewColleague")
        self.colleague_box.setAccessibleName("Colleague to review")
        self.colleague_box.setToolTip("Whose annotations to review")
        self.colleague_box.setMinimumContentsLength(10)
        self.colleague_box.currentTextChanged.connect(self._colleague_chosen)
        self.toolbar.addWidget(self.colleague_box)
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.previous_action, self.next_action])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.accept_action, self.reject_action, self.comment_action])
        self.progress_label = plain_label(parent=self.toolbar)  # names the colleague
        self.progress_label.setObjectName("reviewProgress")
        self.toolbar.addWidget(self.progress_label)

        layers.loaded.connect(self.show_reviews)

    # state
    def actions(self) -> list[QAction]:
        return [self.toggle_action, self.next_action, self.previous_action,
                self.accept_action, self.reject_action, self.comment_action]

    def project_changed(self) -> None:
        """Another project or user: review mode ends, reviews and colleagues are re-read."""
        self.set_active(False)
        self.reload()

    def reload(self) -> None:
        """Re-read reviews and colleagues from the project (after a merge or switch)."""
        project = self.host.project
        self.cache.load(project.reviews())
        colleagues = [n for n in project.annotators() if n not in (project.user, GOLD)]
        current = self.colleague_box.currentText()
        self.colleague_box.blockSignals(True)
        self.colleague_box.clear()
        self.colleague_box.addItems(colleagues)
        if current in colleagues:
            self.colleague_box.setCurrentText(current)
        self.colleague_box.blockSignals(False)
        self.show_reviews()
        self._update()

    def apply_changes(self, changes: Changes) -> None:
        """Follow what the core says changed: reviews (ours or anyone's), colleagues."""
        project = self.host.project
        if changes.reset or not changes.has_all_records:
            self.reload()  # someone else's work arrived: colleagues and reviews may be new
            return
        if not changes.reviews:
            return
        if len(changes.reviews) > 200:
            self.cache.load(project.reviews())
        else:
            for annotation_id in changes.reviews:
                self.cache.replace(annotation_id, project.reviews(annotation_id))
        self.show_reviews()
        self._update()

    def show_reviews(self) -> None:
        model = self.host.annotation_model
        # The reviewed annotations shown, not every row: an open costs no work per row.
        model.set_reviews(self.cache.table_rows(filter(model.find, self.cache.reviewed())))

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        if on and not self._start(self.colleague_box.currentText()):
            self.toggle_action.setChecked(False)
            return
        self.active = on
        if self.toggle_action.isChecked() != on:
            self.toggle_action.setChecked(on)
        if not on:
            self.comment_editor.hide()
            self.host.show_status("Review mode off", 4000)
        self._update()

    def _colleague_chosen(self, name: str) -> None:
        if self.active and name and name != self.colleague:
            self._start(name)
            self._update()

    def _start(self, colleague: str) -> bool:
        host = self.host
        if not colleague:
            host.show_status(
                "No colleague's annotations here yet: File › Merge colleague's work… first", 8000)
            return False
        try:
            queue = host.project.review_queue(colleague)
        except AnnotatorError as error:
            host.show_error(str(error))
            return False
        self.colleague = colleague
        self._queue = queue
        self._done = set()
        self._position = -1
        self.layers.set_visible(colleague, True)
        if not queue:
            host.show_status(f"Nothing of {colleague}'s is left for you to review", 8000)
        else:
            host.show_status(
                f"Reviewing {colleague}: ] next, [ previous, A accept, R reject, C comment",
                8000)
            self.go(0)
        return True

    def queue(self) -> list[AnnotationRecord]:
        return list(self._queue)

    def position(self) -> int:
        return self._position

    def current(self) -> AnnotationRecord | None:
        if 0 <= self._position < len(self._queue):
            return self._queue[self._position]
        return None

    # stepping
    def step(self, direction: int) -> bool:
        if not self.active or not self._queue:
            return False
        position = self._position + direction
        while 0 <= position < len(self._queue):
            if direction < 0 or self._queue[position].id not in self._done:
                return self.go(position)
            position += direction
        self.host.show_status(
            "End of the review queue" if direction > 0 else "Start of the review queue", 4000)
        return False

    def go(self, position: int) -> bool:
        record = self._queue[position]
        host = self.host
        if host.current_document_id() != record.document_id and not host.open_document(
            record.document_id
        ):
            return False
        self._position = position
        if host.view.span(record.id) is None:
            host.show_status("That annotation is no longer there", 4000)
        else:
            host.editing.select(record.id)
        self._update()
        return True

    def _target(self) -> str | None:
        """The selected annotation if any, else the queue's current one."""
        selected = self.host.view.selected_annotation()
        if selected is not None:
            for n, record in enumerate(self._queue):
                if record.id == selected:
                    self._position = n
            return selected
        current = self.current()
        return current.id if current is not None else None

    # verdicts
    def verdict(self, verdict: str) -> ReviewRecord | None:
        if not self.active:
            return None
        annotation_id = self._target()
        if annotation_id is None:
            self.host.show_status("Select an annotation to review", 4000)
            return None
        project = self.host.project
        record = self.host.annotation_model.find(annotation_id)
        if record is not None and record.annotator == project.user:
            self.host.show_status(
                "That is your own annotation; review a colleague's (] for the next)", 5000)
            return None
        to_gold = verdict == "accepted" and self.to_gold_action.isChecked()
        try:
            if verdict == "accepted":
                review = project.accept(annotation_id, to_gold=to_gold)
            else:
                review = project.reject(annotation_id)
        except AnnotatorError as error:
            self.host.show_error(str(error))
            return None
        # The review (and the gold copy) reached the views through the window's refresh.
        self._done.add(annotation_id)
        self.host.show_status(
            f"{verdict.capitalize()}" + (" and copied to gold" if to_gold else ""), 4000)
        self.step(1)
        self._update()
        return review

    def open_comment_editor(self) -> bool:
        if not self.active:
            return False
        annotation_id = self._target()
        model = self.host.annotation_model
        record = None if annotation_id is None else model.find(annotation_id)
        if record is None:
            self.host.show_status("Select an annotation to comment on", 4000)
            return False
        passage = model.passage(record)
        self.comment_editor.open_for(record.id, record.label, passage, record.annotator)
        return True

    def add_comment(self, annotation_id: str, comment: str) -> ReviewRecord | None:
        try:
            review = self.host.project.review_annotation(annotation_id, "comment", comment)
        except AnnotatorError as error:
            self.host.show_error(str(error))
            return None
        self.host.show_status("Comment saved", 4000)
        return review

    def _update(self) -> None:
        on = self.active
        # A read-only project can be stepped through, not given verdicts.
        writable = on and not self.host.project.read_only
        for action in (self.next_action, self.previous_action):
            action.setEnabled(on)
        for action in (self.accept_action, self.reject_action, self.comment_action):
            action.setEnabled(writable)
        self.colleague_box.setEnabled(self.colleague_box.count() > 0)
        if not on:
            count = self.colleague_box.count()
            self.progress_label.setText(
                "Review a colleague's work" if count else "No colleagues' annotations yet")
        else:
            total = len(self._queue)
            done = len(self._done)
            where = f"{self._position + 1} of {total}" if self._position >= 0 else f"{total}"
            who = self.colleague or ""
            self.progress_label.setText(
                f"{who} ({initials(who)}) · {where} · {done} reviewed · {total - done} left")
        self.changed.emit()

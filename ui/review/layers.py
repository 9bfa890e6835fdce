"""Annotation layers: one per annotator plus gold, each shown or hidden in the view.

The window loads every annotation of a document; :class:`Layers` decides which of them
reach the view and the table, as the window's ``editing.record_filter`` (applied where a
document's annotations enter the window), so hiding a layer re-opens the current document
filtered, and the View › Layers menu and the status-bar button share one menu of checkable
actions. The window places the button in its status bar and the annotator filter above its
annotation table (:func:`annotation_pane`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QHelpEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator import Changes
from annotator.records import AnnotationRecord
from annotator.review_records import GOLD
from ui.feature_host import WorkspaceHost
from ui.widgets.annotator_badges import annotator_color, initials, initials_icon, layer_icon
from ui.widgets.plain_text import action_text, escape, escape_lines, tooltip
from ui.workspace.annotation_table import AnnotationTable
from ui.workspace.document_view import ViewSpan


class LayerState(QObject):
    """Which annotators' layers are hidden; everything not hidden is shown."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hidden: set[str] = set()

    def is_visible(self, annotator: str) -> bool:
        return annotator not in self._hidden

    def set_visible(self, annotator: str, visible: bool) -> None:
        if visible == self.is_visible(annotator):
            return
        if visible:
            self._hidden.discard(annotator)
        else:
            self._hidden.add(annotator)
        self.changed.emit()

    def hidden(self) -> set[str]:
        return set(self._hidden)

    def filter(self, records: Sequence[AnnotationRecord]) -> Sequence[AnnotationRecord]:
        """The records of visible layers (what the window should load): ``records``
        themselves when every layer is shown (a read's columns go with them)."""
        hidden = self._hidden
        if not hidden:
            return records
        return [r for r in records if r.annotator not in hidden]


class LayersMenu(QMenu):
    """One checkable action per layer: you first, then colleagues, then gold."""

    def __init__(self, state: LayerState, user: Callable[[], str],
                 colors: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__("&Layers", parent)
        self.setObjectName("layersMenu")
        self._state = state
        self._user = user
        self._colors = colors
        self._names: list[str] = []
        self.layer_actions: dict[str, QAction] = {}
        # Parented to the state: QMenu.clear() deletes the actions the menu owns.
        self.show_all_action = QAction("Show &all layers", state)
        self.show_all_action.setObjectName("showAllLayersAction")
        self.show_all_action.triggered.connect(self._show_all)

    def set_annotators(self, names: Sequence[str]) -> None:
        user = self._user()
        others = sorted(n for n in names if n not in (user, GOLD))
        ordered = [user, *others, GOLD]
        self._names = ordered
        self.clear()
        self.layer_actions = {}
        for name in ordered:
            action = QAction(self)
            action.setObjectName(f"layerAction_{name}")
            action.setCheckable(True)
            action.setChecked(self._state.is_visible(name))
            action.setIcon(layer_icon(name, self._colors(name)))
            self._set_text(action, name)
            action.toggled.connect(lambda on, n=name: self._state.set_visible(n, on))
            self.addAction(action)
            self.layer_actions[name] = action
        self.addSeparator()
        self.addAction(self.show_all_action)

    def _set_text(self, action: QAction, name: str) -> None:
        if name == self._user():
            text = f"{name} (you)"
        elif name == GOLD:
            text = "Gold (adjudicated)"
        else:
            text = name
        # Said in words too: the badge alone would leave the state to colour and shape.
        action.setText(action_text(text if action.isChecked() else f"{text} — hidden"))

    def names(self) -> list[str]:
        return list(self._names)

    def sync_checks(self) -> None:
        for name, action in self.layer_actions.items():
            if action.isChecked() != self._state.is_visible(name):
                action.blockSignals(True)
                action.setChecked(self._state.is_visible(name))
                action.blockSignals(False)
            self._set_text(action, name)

    def _show_all(self) -> None:
        for action in self.layer_actions.values():
            action.setChecked(True)


class LayersButton(QToolButton):
    """Status-bar button: "Layers 3/4"; clicking opens the same layers menu."""

    def __init__(self, menu: LayersMenu, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layersButton")
        self.setAccessibleName("Layers")
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setMenu(menu)
        self._menu = menu

    def refresh(self) -> None:
        actions = self._menu.layer_actions
        shown = [n for n, a in actions.items() if a.isChecked()]
        self.setText(f"Layers {len(shown)}/{len(actions)}")
        hidden = [n for n, a in actions.items() if not a.isChecked()]
        tip = "Shown: " + (", ".join(shown) or "none")
        if hidden:
            tip += "\nHidden: " + ", ".join(hidden)
        self.setToolTip(tooltip(tip + "\nClick to show or hide annotators' layers"))


class AnnotatorFilter(QComboBox):
    """Above the annotation table: everybody's rows, or one annotator's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotatorFilter")
        self.setAccessibleName("Show annotations by")
        self.setToolTip("Show the annotations of one annotator only")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def set_annotators(self, names: Sequence[str], colors: Callable[[str], str]) -> None:
        current = self.current_annotator()
        self.blockSignals(True)
        self.clear()
        self.addItem("All annotators", None)
        for name in names:
            self.addItem(initials_icon(name, colors(name)), name, name)
        found = self.findData(current) if current is not None else 0
        self.setCurrentIndex(max(found, 0))
        self.blockSignals(False)
        if current is not None and found < 0:
            self.currentIndexChanged.emit(0)

    def current_annotator(self) -> str | None:
        data = self.currentData()
        return None if data is None else str(data)

    def choose(self, annotator: str | None) -> None:
        self.setCurrentIndex(max(self.findData(annotator) if annotator else 0, 0))


class LayerTooltips(QObject):
    """Hover tooltip over the text: label, annotator with initials, layer, review, note."""

    def __init__(self, layers: Layers, host: WorkspaceHost) -> None:
        super().__init__(layers)
        self._layers = layers
        self._host = host
        host.view.viewport().installEventFilter(self)

    def html(self, spans: Sequence[ViewSpan]) -> str | None:
        user = self._host.project.user
        parts = []
        for span in spans:
            span_id, label, annotator, note = span.id, span.label, span.annotator, span.note
            color = self._layers.color(annotator)
            who = "you" if annotator == user else ("gold layer" if annotator == GOLD else
                                                   "colleague")
            head = (f"<b>{escape(label)}</b> &middot; "
                    f"<span style='color:{color}'><b>{escape(initials(annotator))}</b></span> "
                    f"{escape(annotator)} <span style='color:#6a737d'>({who})</span>")
            status, comments = self._host.annotation_model.review(span_id)
            if status != "pending" or comments:
                head += f"<br><i>Review: {escape(status)}</i>"
            if note:
                head += "<br>" + escape_lines(note)
            if comments:
                head += "<br><span style='color:#4a4f57'>" + escape_lines(comments) + "</span>"
            parts.append(head)
        return "<hr>".join(parts) if parts else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            view = self._host.view
            html = self.html(view.spans_under(event.pos()))
            if html is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), html, view.viewport())
            return True
        return super().eventFilter(watched, event)


class Layers(QObject):
    """The window's layers: state, menu, status-bar button, and the filtered loading.

    ``loaded`` fires after a document's (visible) annotations were loaded."""

    loaded = Signal()

    def __init__(self, host: WorkspaceHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.host = host
        self.state = LayerState(self)
        self._label_colors: tuple[str, ...] = ()
        self.menu = LayersMenu(self.state, lambda: host.project.user, self.color, parent)
        self.button = LayersButton(self.menu)
        host.editing.record_filter = self.state.filter
        host.editing.documentLoaded.connect(self.loaded)
        self.state.changed.connect(self._layers_changed)
        self.annotator_filter = AnnotatorFilter()
        self.annotator_filter.currentIndexChanged.connect(
            lambda _: host.annotation_table.set_annotator_filter(
                self.annotator_filter.current_annotator()))
        self.tooltips = LayerTooltips(self, host)

    def names(self) -> list[str]:
        return self.menu.names()

    def color(self, name: str) -> str:
        """`name`'s badge colour: stable, and clear of the project's label colours."""
        return annotator_color(name, self._label_colors)

    def apply_changes(self, changes: Changes) -> None:
        """Follow the core's changes: someone's work may have brought a new layer."""
        if changes.reset or changes.labels or not changes.has_all_records:
            self.refresh_annotators()

    def refresh_annotators(self) -> None:
        """Rebuild the menu from the project's annotators (after a merge, a review, …)."""
        project = self.host.project
        self._label_colors = tuple(label.color for label in project.labels())
        self.host.view.set_badge_colors(self.color)
        names = set(project.annotators())
        self.menu.set_annotators(sorted(names))
        self.button.refresh()
        ordered = self.names()
        self.host.annotation_model.set_annotator_badges(
            {n: initials_icon(n, self.color(n)) for n in ordered})
        self.annotator_filter.set_annotators(ordered, self.color)

    def set_visible(self, annotator: str, visible: bool) -> None:
        self.state.set_visible(annotator, visible)

    def is_visible(self, annotator: str) -> bool:
        return self.state.is_visible(annotator)

    def _layers_changed(self) -> None:
        self.menu.sync_checks()
        self.button.refresh()
        self.reload_document()

    def reload_document(self) -> None:
        """Re-load the open document's annotations, keeping scroll and selection."""
        editing = self.host.editing
        document = editing.document
        if document is None:
            return
        view = self.host.view
        selected = view.selected_annotation()
        scroll = view.verticalScrollBar().value()
        editing.open(document, self.host.project.annotations(document.id))
        view.verticalScrollBar().setValue(scroll)
        if selected is not None and view.span(selected) is not None:
            editing.select(selected)


def annotation_pane(table: AnnotationTable, annotator_filter: AnnotatorFilter) -> QWidget:
    """The annotation table with the annotator filter above it (the Annotations dock)."""
    container = QWidget()
    container.setObjectName("annotationPane")
    bar = QHBoxLayout()
    bar.setContentsMargins(8, 4, 8, 4)
    caption = QLabel("Show:")
    caption.setBuddy(annotator_filter)
    bar.addWidget(caption)
    bar.addWidget(annotator_filter)
    bar.addStretch(1)
    layout = QVBoxLayout(container)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addLayout(bar)
    layout.addWidget(table, 1)
    return container

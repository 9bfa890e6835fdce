"""User text is shown as plain text: the one module that says how, used at every sink.

Qt renders a string as HTML wherever the format is "auto" and ``Qt.mightBeRichText`` guesses
so: labels, message boxes, progress dialogs and every tooltip (tooltips have no format
switch). A document title, note, label or annotator name, review comment or file name such as
``<img src="/dev/zero">`` would be rendered there and its image read from the disk; one in a
colleague's bundle aborted or froze the window. So, wherever user text reaches such a sink:

- a label or message box that shows it is in plain-text format (:func:`plain_label`,
  :func:`make_plain`, :func:`message_box`, :func:`alert`, :func:`ask`);
- a tooltip is the plain text turned into rich text by Qt itself (:func:`tooltip`);
- a rich-text template of ours is shown in a label set to rich text (:func:`rich_label`) and
  escapes every value it interpolates (:func:`escape`);
- the text of an action, menu entry or button doubles ``&``, so a name never becomes a
  keyboard mnemonic (:func:`action_text`).

Item views (their display role), combo boxes, window titles and the status bar's messages are
drawn as plain text by Qt already.
"""

from __future__ import annotations

import html

from PySide6.QtGui import Qt  # QtCore's Qt namespace, with QtGui's convertFromPlainText
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def escape(value: object) -> str:
    """A value to interpolate into one of our own rich-text templates."""
    return html.escape(str(value), quote=True)


def escape_lines(value: object) -> str:
    """:func:`escape`, its line breaks kept (for notes and comments inside a template)."""
    return escape(value).replace("\n", "<br>")


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally, line breaks kept ("" hides the tooltip)."""
    if not text:
        return ""
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def action_text(text: str) -> str:
    """Text for an action, a menu entry or a button: ``&`` shown, not a mnemonic."""
    return text.replace("&", "&&")


def make_plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows user text (or text that quotes it) literally."""
    label = make_plain(QLabel(parent))
    label.setText(text)
    return label


def rich_label(html_text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label for a rich-text template of ours; every interpolated value goes through
    :func:`escape`. Rich text is set explicitly: in "auto", an escaped value without a tag
    around it would be shown as ``&lt;``."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(html_text)
    return label


def message_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    parent: QWidget | None = None,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox:
    """A message box whose text and informative text are plain text."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the informative text follows this format
    return box


def alert(parent: QWidget | None, title: str, text: str) -> None:
    """A modal critical message in plain text (before there is a window to hold one)."""
    message_box(QMessageBox.Icon.Critical, title, text, parent).exec()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A modal Yes/No question (No by default) in plain text; True for Yes."""
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = message_box(QMessageBox.Icon.Question, title, text, parent, yes | no)
    box.setDefaultButton(no)
    return box.exec() == yes

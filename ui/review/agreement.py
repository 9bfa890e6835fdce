"""Review › Agreement…: the agreement report on the window's project, one at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from ui.feature_host import FeatureHost

if TYPE_CHECKING:  # the dialog (and numpy, with the agreement core) loads when first opened
    from ui.review.agreement_dialog import AgreementDialog


class Agreement(QObject):
    """The Agreement action and the dialog it opens (a new one replaces the last)."""

    def __init__(self, host: FeatureHost, window: QWidget) -> None:
        super().__init__(window)
        self._host = host
        self._window = window
        self.dialog: AgreementDialog | None = None
        self.action = QAction("&Agreement…", window)
        self.action.setObjectName("agreementAction")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.action.triggered.connect(lambda _checked=False: self.open())
        window.addAction(self.action)

    def open(self) -> AgreementDialog:
        """Show a new agreement report on the current project and start computing it."""
        from ui.review.agreement_dialog import AgreementDialog

        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = AgreementDialog(self._host.project, self._window)
        self.dialog.show()
        self.dialog.compute()
        return self.dialog

"""A quiet line saying whether the last change is safely stored."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from firstcontact.i18n import _
from firstcontact.ui.common import error_colour


class SaveIndicator(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("save-indicator")
        self.setAccessibleName(_("Save status"))
        self.setWordWrap(True)
        self.state = "idle"

    def _set(self, state: str, text: str, error: bool = False) -> None:
        self.state = state
        self.setText(text)
        self.setAccessibleDescription(text)
        self.setStyleSheet(f"color: {error_colour(self)};" if error else "")

    def saving(self) -> None:
        self._set("saving", _("Saving…"))

    def saved(self) -> None:
        self._set("saved", _("Saved"))

    def failed(self, message: str) -> None:
        self._set("failed", _("Not saved: {reason}").format(reason=message), error=True)

    def attention(self, message: str) -> None:
        """Something to do before going on (nothing failed)."""
        self._set("attention", message, error=True)

    def clear_state(self) -> None:
        self._set("idle", "")

"""date → a date entry that can also be empty: typed as YYYY-MM-DD, or picked from a calendar."""

from __future__ import annotations

from PySide6.QtCore import QDate, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QCalendarWidget, QToolButton, QVBoxLayout, QWidget

from firstcontact.domain.model import Field
from firstcontact.i18n import _
from firstcontact.ui.common import named
from firstcontact.ui.interview.editors import TextEditor

_PARTIAL_ISO = QRegularExpression(r"^\d{0,4}(-\d{0,2}(-\d{0,2})?)?$")


class DateEditor(TextEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit.setPlaceholderText(_("YYYY-MM-DD"))  # (a required date says so by its "*")
        self.edit.setValidator(QRegularExpressionValidator(_PARTIAL_ISO, self.edit))
        metrics = self.edit.fontMetrics()
        self.edit.setMinimumWidth(metrics.horizontalAdvance(self.edit.placeholderText())
                                  + metrics.averageCharWidth() * 4)  # the hint shows whole
        self.pick = named(QToolButton(self), _("Choose a date from a calendar"))
        self.pick.setText(_("Calendar…"))
        self.pick.clicked.connect(self._open_calendar)
        self._layout.addWidget(self.pick)
        self._layout.addStretch(1)
        self._popup: QWidget | None = None

    def _open_calendar(self) -> None:
        popup = QWidget(self, Qt.WindowType.Popup)
        layout = QVBoxLayout(popup)
        layout.setContentsMargins(0, 0, 0, 0)
        calendar = named(QCalendarWidget(popup), _("Calendar"))
        current = QDate.fromString(self.edit.text(), Qt.DateFormat.ISODate)
        if current.isValid():
            calendar.setSelectedDate(current)
        calendar.setMaximumDate(QDate.currentDate().addYears(1))
        layout.addWidget(calendar)
        calendar.activated.connect(lambda day: self._picked(day, popup))
        calendar.clicked.connect(lambda day: self._picked(day, popup))
        popup.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        popup.show()
        calendar.setFocus()
        self._popup = popup

    def _picked(self, day: QDate, popup: QWidget) -> None:
        popup.close()
        popup.deleteLater()
        self._popup = None
        self.edit.setText(day.toString(Qt.DateFormat.ISODate))
        self.edit.setFocus()
        self.committed.emit()

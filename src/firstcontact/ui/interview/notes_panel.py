"""Notes and follow-up contacts on a case: the list, and adding a new one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from firstcontact.app.errors import USER_ERRORS
from firstcontact.app.interview_session import InterviewSession
from firstcontact.i18n import N_, _
from firstcontact.ui import labels
from firstcontact.ui.common import error_style, named, wrapped

_KINDS = (("note", N_("Note")), ("follow-up", N_("Follow-up contact")))


class NotesPanel(QWidget):
    added = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notes")
        self.session: InterviewSession | None = None
        layout = QVBoxLayout(self)
        self.list = named(QListWidget(self), _("Notes and follow-up contacts"))
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        kind_label = QLabel(_("Note or &follow-up:"))
        self.kind = named(QComboBox(self), _("Kind of note"))
        for value, text in _KINDS:
            self.kind.addItem(_(text), value)
        kind_label.setBuddy(self.kind)
        row = QHBoxLayout()
        row.addWidget(kind_label)
        row.addWidget(self.kind, 1)
        layout.addLayout(row)
        self.text = named(QPlainTextEdit(self), _("New note"))
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(_("What happened, what was agreed, when to follow up"))
        self.text.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        layout.addWidget(self.text)
        # no Alt letter left on a consent step: Ctrl+Enter in the text adds the note
        self.add_button = named(QPushButton(_("Add note"), self), _("Add note"),
                                _("Add the note (Ctrl+Enter in the text)"))
        self.add_button.setToolTip(_("Ctrl+Enter in the text adds the note too"))
        self.add_button.clicked.connect(self.add)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.text)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.add)
        layout.addWidget(self.add_button)
        self.message = wrapped("", parent=self, selectable=False)
        error_style(self.message)
        layout.addWidget(self.message)

    def refresh(self, session: InterviewSession) -> None:
        self.session = session
        self.list.clear()
        kinds = dict(_KINDS)
        for note in session.ws.queries.notes(session.reference):
            when = labels.local_time(note.created_at)
            text = f"{when} · {_(kinds.get(note.kind, note.kind))}\n{note.text}"
            item = QListWidgetItem(text)
            self.list.addItem(item)
        # a supervisor's reviews, exports and handovers come after the worker's own notes
        for review in session.ws.review.reviews(session.case_id):
            text = _("Supervisor: {words}").format(words=review.words) \
                + (f"\n{review.note}" if review.note else "")
            self.list.addItem(QListWidgetItem(text))

    def add(self) -> None:
        if self.session is None:
            return
        try:
            self.session.ws.cases.add_note(self.session.reference, self.text.toPlainText(),
                                     kind=str(self.kind.currentData()))
        except USER_ERRORS as exc:
            self.message.setText(exc.message)
            return
        self.message.setText("")
        self.text.clear()
        self.refresh(self.session)
        self.added.emit()

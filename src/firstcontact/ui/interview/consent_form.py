"""Recording consent for a destination: what was explained, by whom, in which language, with
which interpreter, and the person's answer. A given consent can be withdrawn later."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from firstcontact.app.errors import USER_ERRORS
from firstcontact.domain.case import CaseState
from firstcontact.i18n import _
from firstcontact.ui import labels
from firstcontact.ui.common import error_style, named, wrapped
from firstcontact.ui.interview.session import ConsentDraft

if TYPE_CHECKING:
    from firstcontact.ui.interview.session import CaseSession


class ConsentForm(QGroupBox):
    recorded = Signal()

    def __init__(self, session: CaseSession, destination: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.destination = destination
        self.setObjectName(f"consent-{destination}")
        found = session.ws.destinations.get(destination)
        title = _(found.title) if found else destination
        self.setTitle(_("Consent: {destination}").format(destination=title))
        self.setAccessibleName(self.title())
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(_(
            "It is the person's choice. Explain in plain words, check they have understood, "
            "and record the answer they gave. A no is respected: the app will not make a pack "
            "that needs their consent."), parent=self, selectable=False))
        self.current = wrapped("", parent=self)
        self.current.setObjectName("consent-current")
        layout.addWidget(self.current)

        form = QFormLayout()
        self.explained = named(QPlainTextEdit(self), _("What was explained"),
                               _("What the referral is, who will see it, that it is voluntary"))
        self.explained.setTabChangesFocus(True)
        self.explained.setPlaceholderText(_("What the referral is, who will see it, what happens "
                                            "next, that saying no is fine"))
        self.explained.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.explained_by = named(QLineEdit(self), _("Explained by"))
        self.language = named(QLineEdit(self), _("Language used"))
        self.interpreter = named(QLineEdit(self), _("Interpreter (name or agency, optional)"))
        self.interpreter.setPlaceholderText(_("Leave empty if no interpreter"))
        form.addRow(_("W&hat was explained:"), self.explained)
        form.addRow(_("Explained b&y:"), self.explained_by)
        form.addRow(_("&Language:"), self.language)
        form.addRow(_("&Interpreter:"), self.interpreter)
        layout.addLayout(form)

        answer = QHBoxLayout()
        self.given = named(QRadioButton(_("The person &agrees"), self), _("The person agrees"))
        self.declined = named(QRadioButton(_("The person does n&ot agree"), self),
                              _("The person does not agree"))
        self.decision = QButtonGroup(self)
        self.decision.addButton(self.given)
        self.decision.addButton(self.declined)
        answer.addWidget(self.given)
        answer.addWidget(self.declined)
        answer.addStretch(1)
        layout.addLayout(answer)

        buttons = QHBoxLayout()
        self.record_button = named(QPushButton(_("Record &decision"), self), _("Record decision"))
        self.record_button.clicked.connect(self.record)
        self.withdraw_button = named(QPushButton(_("&Withdraw consent…"), self),
                                     _("Withdraw consent"))
        self.withdraw_button.clicked.connect(self._ask_withdraw)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.confirm_box = QWidget(self)
        confirm = QHBoxLayout(self.confirm_box)
        confirm.setContentsMargins(0, 0, 0, 0)
        confirm.addWidget(wrapped(_("Record that the person withdraws their consent? No further "
                                    "packs can be made for this referral."),
                                  parent=self.confirm_box, selectable=False), 1)
        self.confirm_withdraw = named(QPushButton(_("Yes, record the withdrawal"),
                                                  self.confirm_box), _("Confirm withdrawal"))
        self.cancel_withdraw = named(QPushButton(_("Cancel"), self.confirm_box),
                                     _("Cancel withdrawal"))
        self.confirm_withdraw.clicked.connect(self.withdraw)
        self.cancel_withdraw.clicked.connect(lambda: self.confirm_box.hide())
        confirm.addWidget(self.confirm_withdraw)
        confirm.addWidget(self.cancel_withdraw)
        self.confirm_box.hide()
        layout.addWidget(self.confirm_box)

        self.message = wrapped("", parent=self, selectable=False)
        error_style(self.message)
        layout.addWidget(self.message)
        draft = session.consent_drafts.get(destination)
        if draft is not None:
            self._restore(draft)
        else:
            self._prefill()
        for edit in (self.explained_by, self.language, self.interpreter):
            edit.textChanged.connect(self._edited)
        self.explained.textChanged.connect(self._edited)
        self.decision.buttonClicked.connect(self._edited)
        self.refresh(session.state)

    def _prefill(self) -> None:
        record = self.session.state.consents.get(self.destination)
        if record is not None:
            self.explained.setPlainText(record.explained)
            self.explained_by.setText(record.explained_by)
            self.language.setText(record.language)
            self.interpreter.setText(record.interpreter or "")
        else:
            self.explained_by.setText(self.session.ws.profile().display_name)
            language_field = self.session.ws.checklist.consent_language_field
            language = self.session.state.answers.get(language_field or "")
            if isinstance(language, str):
                self.language.setText(language)  # the language the person chose
            earlier = sorted(self.session.state.consents.values(), key=lambda r: r.recorded_at)
            if earlier:  # the same interpreter as for the last decision, not typed again
                self.interpreter.setText(earlier[-1].interpreter or "")
                if not self.language.text():
                    self.language.setText(earlier[-1].language)

    def _restore(self, draft: ConsentDraft) -> None:
        self.explained.setPlainText(draft.explained)
        self.explained_by.setText(draft.explained_by)
        self.language.setText(draft.language)
        self.interpreter.setText(draft.interpreter)
        self.given.setChecked(draft.decision == "given")
        self.declined.setChecked(draft.decision == "declined")

    def _chosen(self) -> str | None:
        return "given" if self.given.isChecked() else "declined" \
            if self.declined.isChecked() else None

    def _edited(self) -> None:
        self.session.consent_drafts[self.destination] = ConsentDraft(
            self.explained.toPlainText(), self.explained_by.text(), self.language.text(),
            self.interpreter.text(), self._chosen())
        self._update_button()

    def unrecorded_decision(self) -> bool:
        """A decision is chosen, and the form was changed since it was last recorded."""
        return self._chosen() is not None and self.destination in self.session.consent_drafts

    def _update_button(self) -> None:
        ready = bool(self.explained.toPlainText().strip() and self.explained_by.text().strip()
                     and self.language.text().strip() and self._chosen() is not None)
        recorded = self.session.state.consents.get(self.destination) is not None
        changed = self.destination in self.session.consent_drafts
        self.record_button.setEnabled(ready and (changed or not recorded))

    def refresh(self, state: CaseState) -> None:
        record = state.consents.get(self.destination)
        if record is None:
            text = _("No decision recorded yet.")
        else:
            text = _("Recorded: {state} on {date}, explained by {who} in {language}.").format(
                state=labels.consent_state(record.state),
                date=labels.local_time(record.recorded_at, date_only=True),
                who=record.explained_by, language=record.language)
            if record.interpreter:
                text += " " + _("Interpreter: {name}.").format(name=record.interpreter)
        self.current.setText(text)
        self.current.setAccessibleName(text)
        self.withdraw_button.setVisible(record is not None and record.state == "given")
        self._update_button()

    def record(self) -> None:
        state = self._chosen()
        if state is None:
            return
        try:
            self.session.ws.record_consent(
                self.session.reference, self.destination, state,
                explained_by=self.explained_by.text(), language=self.language.text(),
                interpreter=self.interpreter.text().strip() or None,
                explained=self.explained.toPlainText())
        except USER_ERRORS as exc:
            self.message.setText(exc.message)
            return
        self.session.consent_drafts.pop(self.destination, None)
        self.message.setText("")
        self.session.reload()
        self.refresh(self.session.state)
        self.recorded.emit()

    def _ask_withdraw(self) -> None:
        self.confirm_box.show()
        self.confirm_withdraw.setFocus()

    def withdraw(self) -> None:
        self.confirm_box.hide()
        try:
            self.session.ws.withdraw_consent(self.session.reference, self.destination)
        except USER_ERRORS as exc:
            self.message.setText(exc.message)
            return
        self.session.reload()
        self.refresh(self.session.state)
        self.recorded.emit()

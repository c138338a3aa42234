"""Recording consent for a destination: what was explained, by whom, in which language,
through which of the case's interpreters, whether sharing the person's account was explained,
and the person's answer — or that they could not be asked, and why. A given consent can be
withdrawn later; the withdrawal records who took it, in which language, with which
interpreter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from firstcontact import dates
from firstcontact.app.errors import USER_ERRORS
from firstcontact.app.interview_session import ConsentDraft
from firstcontact.domain.case import NOT_SOUGHT_REASONS, CaseState, ConsentState
from firstcontact.domain.interpreters import Interpreter
from firstcontact.i18n import N_, _
from firstcontact.ui import labels
from firstcontact.ui.common import error_style, form_layout, named, wrapped
from firstcontact.ui.interview.editors import wrapping_check

if TYPE_CHECKING:
    from firstcontact.app.interview_session import InterviewSession

NOT_SOUGHT_LABELS = {
    "left": N_("The person left before they could be asked"),
    "lacks-capacity": N_("The person was not able to decide at the time"),
    "unsafe-to-ask": N_("It was not safe to ask"),
}


class ConsentForm(QGroupBox):
    recorded = Signal()

    def __init__(self, session: InterviewSession, destination: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.destination = destination
        self.interpreters: tuple[Interpreter, ...] = ()
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

        # the points the explanation must cover (data: the consent step's points), ticked
        self.points: dict[str, QCheckBox] = {}
        step_points = session.consent_points(destination)
        if step_points:
            layout.addWidget(wrapped(_("What you explained (tick each point once it is "
                                       "explained and understood; a yes needs every one):"),
                                     parent=self, selectable=False))
            for point in step_points:
                row, box = wrapping_check(_(point.label), _(point.label), self)
                self.points[point.id] = box
                layout.addWidget(row)
        form = form_layout()
        self.explained = named(QPlainTextEdit(self), _("What was explained"),
                               _("What the referral is, who will see it, that it is voluntary"))
        self.explained.setTabChangesFocus(True)
        self.explained.setPlaceholderText(_("What the referral is, who will see it, what happens "
                                            "next, that saying no is fine"))
        self.explained.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.explained_by = named(QLineEdit(self), _("Explained by"))
        self.language = named(QLineEdit(self), _("Language used"))
        self.interpreter = named(QComboBox(self), _("Interpreter"),
                                 _("One of the interpreters recorded on the Interpreter step"))
        self.interpreter_hint = wrapped("", parent=self, selectable=False)
        self.interpreter_reason = named(QLineEdit(self), _("Why this interpreter was used"),
                                        _("They are not independent of the person"))
        self.reason_label = QLabel(_("Why this interpreter:"), self)
        self.reason_label.setBuddy(self.interpreter_reason)
        self.reason_label.setWordWrap(True)
        form.addRow(_("Anything else explained, or t&heir questions:") if self.points
                    else _("W&hat was explained:"), self.explained)
        form.addRow(_("Explained b&y:"), self.explained_by)
        form.addRow(_("&Language:"), self.language)
        form.addRow(_("&Interpreter:"), self.interpreter)
        form.addRow("", self.interpreter_hint)
        form.addRow(self.reason_label, self.interpreter_reason)
        layout.addLayout(form)
        shares_row, self.shares = wrapping_check(_(
            "I explained that their account in their own words, the risks and their needs "
            "will be shared with the caseworker who receives the referral, and they agreed"),
            _("Sharing the account with the receiving caseworker was explained and agreed"),
            self)
        layout.addWidget(shares_row)

        answer = QHBoxLayout()
        self.given = named(QRadioButton(_("The person &agrees"), self), _("The person agrees"))
        self.declined = named(QRadioButton(_("The person does n&ot agree"), self),
                              _("The person does not agree"))
        self.not_sought = named(QRadioButton(_("&Could not be asked"), self),
                                _("The person could not be asked"))
        self.decision = QButtonGroup(self)
        for button in (self.given, self.declined, self.not_sought):
            self.decision.addButton(button)
            answer.addWidget(button)
        answer.addStretch(1)
        layout.addLayout(answer)
        self.not_sought_reason = named(QComboBox(self), _("Why the person could not be asked"))
        for reason in NOT_SOUGHT_REASONS:
            self.not_sought_reason.addItem(_(NOT_SOUGHT_LABELS[reason]), reason)
        layout.addWidget(self.not_sought_reason)

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
        self.confirm_text = wrapped("", parent=self.confirm_box, selectable=False)
        confirm.addWidget(self.confirm_text, 1)
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
        self._fill_interpreters()
        self._restore(session.consent_defaults(destination))  # the draft, or the defaults
        for edit in (self.explained_by, self.language, self.interpreter_reason):
            edit.textChanged.connect(self._edited)
        self.explained.textChanged.connect(self._edited)
        self.interpreter.currentIndexChanged.connect(self._edited)
        self.not_sought_reason.currentIndexChanged.connect(self._edited)
        self.shares.toggled.connect(self._edited)
        for box in self.points.values():
            box.toggled.connect(self._edited)
        self.decision.buttonClicked.connect(self._edited)
        self.refresh(session.state)

    # -- interpreters --------------------------------------------------------------------------
    def _fill_interpreters(self) -> None:
        self.interpreters = self.session.interpreters()
        self.interpreter.blockSignals(True)
        self.interpreter.clear()
        self.interpreter.addItem(_("No interpreter"), "")
        for person in self.interpreters:
            text = person.name + (f" — {person.agency}" if person.agency else "")
            if person.companion_like:
                text += " " + _("(not independent of the person)")
            self.interpreter.addItem(text, person.name)
        self.interpreter.blockSignals(False)

    def _chosen_interpreter(self) -> Interpreter | None:
        name = str(self.interpreter.currentData() or "")
        return next((i for i in self.interpreters if i.name == name), None)

    def _select_interpreter(self, name: str | None) -> None:
        self.interpreter.setCurrentIndex(max(0, self.interpreter.findData(name or "")))

    # -- filling in ----------------------------------------------------------------------------
    def _restore(self, draft: ConsentDraft) -> None:
        self.explained.setPlainText(draft.explained)
        self.explained_by.setText(draft.explained_by)
        self.language.setText(draft.language)
        self._select_interpreter(draft.interpreter)
        self.interpreter_reason.setText(draft.interpreter_reason)
        self.shares.setChecked(draft.shares_account)
        for point_id, box in self.points.items():
            box.setChecked(point_id in draft.points)
        self.given.setChecked(draft.decision == "given")
        self.declined.setChecked(draft.decision == "declined")
        self.not_sought.setChecked(draft.decision == "not-sought")
        self.not_sought_reason.setCurrentIndex(
            max(0, self.not_sought_reason.findData(draft.not_sought_reason)))

    def _chosen(self) -> ConsentState | None:
        if self.given.isChecked():
            return "given"
        if self.declined.isChecked():
            return "declined"
        return "not-sought" if self.not_sought.isChecked() else None

    def draft(self) -> ConsentDraft:
        """What the form shows now."""
        return ConsentDraft(
            self.explained.toPlainText(), self.explained_by.text(), self.language.text(),
            str(self.interpreter.currentData() or ""), self._chosen(),
            self.interpreter_reason.text(), self.shares.isChecked(),
            str(self.not_sought_reason.currentData() or ""),
            tuple(p for p, box in self.points.items() if box.isChecked()))

    def _edited(self) -> None:
        self.session.edit_consent(self.destination, self.draft())
        self._update()

    def unrecorded_decision(self) -> bool:
        """A decision is chosen, and the form was changed since it was last recorded."""
        return self.session.unrecorded_consent(self.destination)

    def _update(self) -> None:
        decision = self._chosen()
        who = self._chosen_interpreter()
        needs_reason = who is not None and who.companion_like
        self.reason_label.setVisible(needs_reason)
        self.interpreter_reason.setVisible(needs_reason)
        needs_interpreter = self.session.needs_interpreter()
        if needs_reason:
            self.interpreter_hint.setText(_(
                "This interpreter is not independent of the person (K18). Say why they were "
                "used; every pack that relies on this consent will say so."))
        elif needs_interpreter and not self.interpreters:
            self.interpreter_hint.setText(_("The person needs an interpreter: record the "
                                            "interpreter on the Interpreter step first."))
        else:
            self.interpreter_hint.setText("")
        self.interpreter_hint.setVisible(bool(self.interpreter_hint.text()))
        self.not_sought_reason.setVisible(decision == "not-sought")
        self.shares.setEnabled(decision != "not-sought")
        why = ""
        if decision == "not-sought":
            ready = bool(self.explained_by.text().strip())
        else:
            ready = bool(self.explained_by.text().strip() and self.language.text().strip()
                         and decision is not None)
            why = self.session.consent_problem(self.destination, self.draft())
            ready = ready and not why
        if needs_reason and not self.interpreter_reason.text().strip():
            ready = False
        recorded = self.session.state.consents.get(self.destination) is not None
        changed = self.destination in self.session.consent_drafts
        self.record_button.setEnabled(ready and (changed or not recorded))
        self.record_button.setToolTip(why)
        self.record_button.setAccessibleDescription(why)

    def refresh(self, state: CaseState) -> None:
        record = state.consents.get(self.destination)
        if record is None:
            text = _("No decision recorded yet.")
        else:
            text = _("Recorded: {state} on {date}, by {who}.").format(
                state=labels.consent_state(record.state), date=dates.day(record.recorded_at),
                who=record.explained_by)
            if record.language:
                text += " " + _("Language: {language}.").format(language=record.language)
            if record.interpreter:
                text += " " + _("Interpreter: {name}.").format(name=record.interpreter)
        self.current.setText(text)
        self.current.setAccessibleName(text)
        self.withdraw_button.setVisible(record is not None and record.state == "given")
        self._update()

    # -- intents -------------------------------------------------------------------------------
    def record(self) -> None:
        if self._chosen() is None:
            return
        try:
            self.session.record_consent(self.destination, self.draft())
        except USER_ERRORS as exc:
            self.message.setText(exc.message)
            return
        self._done()

    def _ask_withdraw(self) -> None:
        who = self.explained_by.text().strip() or _("(who took it: fill in “Explained by”)")
        self.confirm_text.setText(_(
            "Record that the person withdraws their consent, taken by {who} in {language}"
            "{interpreter}? No further packs can be made for this referral. (Change who, the "
            "language or the interpreter above first if they are different.)").format(
                who=who, language=self.language.text().strip() or "…",
                interpreter=(_(", through {name}").format(name=self.interpreter.currentData())
                             if self.interpreter.currentData() else "")))
        self.confirm_box.show()
        self.confirm_withdraw.setFocus()

    def withdraw(self) -> None:
        self.confirm_box.hide()
        try:
            self.session.withdraw_consent(self.destination, self.draft())
        except USER_ERRORS as exc:
            self.message.setText(exc.message)
            return
        self._done()

    def _done(self) -> None:
        """Recorded (the session dropped the draft and reloaded): show what is stored."""
        self.message.setText("")
        self._fill_interpreters()  # a withdrawal's interpreter joins the case's list
        record = self.session.state.consents.get(self.destination)
        self.interpreter.blockSignals(True)
        self._select_interpreter(record.interpreter if record else None)
        self.interpreter.blockSignals(False)
        self.refresh(self.session.state)
        self.recorded.emit()

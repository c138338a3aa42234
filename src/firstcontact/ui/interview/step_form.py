"""One interview step: the worker's script, the fields as widgets, autosave, consent.

The form never decides anything itself: it sends each answer to the interview session
(app/interview_session.py) and shows what comes back (saved, or the message, keeping what was
typed); whether the step may be left is the session's call.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from firstcontact.app.errors import USER_ERRORS
from firstcontact.app.interview_session import InterviewSession
from firstcontact.domain.case import CaseState
from firstcontact.domain.model import Field, Step
from firstcontact.i18n import _
from firstcontact.ui.common import error_style, heading, named, plain, wrapped
from firstcontact.ui.interview.autosave import Autosave
from firstcontact.ui.interview.consent_form import ConsentForm
from firstcontact.ui.interview.editors import CheckboxEditor, FieldEditor
from firstcontact.ui.interview.explanation_box import ExplanationBox
from firstcontact.ui.interview.factory import make_editor
from firstcontact.ui.interview.list_editor import ListEditor, ListModels
from firstcontact.ui.interview.save_indicator import SaveIndicator
from firstcontact.ui.interview.warnings_view import WarningsBox


class FieldRow(QWidget):
    """Label, hint, editor and the field's own message."""

    def __init__(self, field: Field, editor: FieldEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        if not isinstance(editor, CheckboxEditor):
            self.label = QLabel(plain(field.label) + ("" if field.optional else " *"), self)
            self.label.setWordWrap(True)
            self.label.setBuddy(editor.focus_target())
            font = self.label.font()
            font.setBold(True)
            self.label.setFont(font)
            layout.addWidget(self.label)
        if field.help:
            hint = wrapped(field.help, parent=self, selectable=False)
            layout.addWidget(hint)
        layout.addWidget(editor)
        self.message = wrapped("", parent=self, selectable=False)
        error_style(self.message)
        self.message.hide()
        layout.addWidget(self.message)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.message.setVisible(bool(text))
        self.editor.focus_target().setAccessibleDescription(text or self.field.help)


class StepForm(QWidget):
    saved = Signal()  # an answer, a skip or a consent was stored: the page refreshes
    pause_requested = Signal()  # a warning offered to pause the interview

    def __init__(self, session: InterviewSession, step: Step, lists: ListModels,
                 indicator: SaveIndicator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.step = step
        self.indicator = indicator
        self.setObjectName(f"step-{step.id}")
        self.autosave = Autosave(self._save, parent=self)
        self.closed = False  # after close(): nothing more is sent to the store
        layout = QVBoxLayout(self)
        layout.addWidget(heading(step.title, 1.35))
        # an immediate need comes before the script: what to do now
        self.urgent_box = WarningsBox("urgent", self)
        self.urgent_box.pause_requested.connect(self.pause_requested)
        layout.addWidget(self.urgent_box)

        script = QFrame(self)
        script.setObjectName("script")
        script.setFrameShape(QFrame.Shape.StyledPanel)
        script_layout = QVBoxLayout(script)
        said = QLabel(_("What to do and say:"), script)
        said.setStyleSheet("font-style: italic;")
        script_layout.addWidget(said)
        self.prompt = wrapped(step.prompt, parent=script)  # the case's own script: refresh()
        self.prompt.setAccessibleName(_("What you could say"))
        script_layout.addWidget(self.prompt)
        layout.addWidget(script)
        # the words read with the person, in their language where there is a translation
        self.explanation = ExplanationBox(session.person_languages(), self)
        self.explanation.language_chosen.connect(self._explain_in)
        layout.addWidget(self.explanation)
        # what the answers call for (K18, a DOB conflict, …), then advice
        self.warning_box = WarningsBox("warning", self)
        self.advice_box = WarningsBox("advice", self)
        for box in (self.warning_box, self.advice_box):
            box.pause_requested.connect(self.pause_requested)
            layout.addWidget(box)
        if any(not f.optional for f in step.fields):
            layout.addWidget(wrapped(_("* needed for a referral. The person never has to "
                                       "answer: leave it empty, or use “Not possible now…” "
                                       "with the reason."), parent=self, selectable=False))
        if step.sensitive:
            layout.addWidget(wrapped(_("Sensitive: go at the person's pace. They do not have to "
                                       "answer."), parent=self, selectable=False))

        self.skip_banner = QFrame(self)
        banner = QVBoxLayout(self.skip_banner)
        self.skip_text = wrapped("", parent=self.skip_banner)
        self.resume_button = named(QPushButton(_("&Resume this step"), self.skip_banner),
                                   _("Resume this step"))
        self.resume_button.clicked.connect(self._resume)
        banner.addWidget(self.skip_text)
        banner.addWidget(self.resume_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.skip_banner)

        self.rows: dict[str, FieldRow] = {}
        for field in step.fields:
            editor = make_editor(field, lists, self)
            row = FieldRow(field, editor, self)
            self.rows[field.id] = row
            layout.addWidget(row)
            editor.edited.connect(lambda fid=field.id: self._edited(fid))
            editor.committed.connect(lambda fid=field.id: self.autosave.committed(fid))
        self.consent: ConsentForm | None = None
        if step.consent:
            self.consent = ConsentForm(session, step.consent, self)
            self.consent.recorded.connect(self.saved)
            self.consent.recorded.connect(self.indicator.saved)  # replaces any warning
            layout.addWidget(self.consent)
        layout.addStretch(1)
        self._load(session.state)

    # -- showing -------------------------------------------------------------------------------
    def _load(self, state: CaseState) -> None:
        for fid, row in self.rows.items():
            row.editor.set_value(state.answers.get(fid))
        for fid, value in list(self.session.held.items()):
            if fid in self.rows:  # typed but not stored (refused, or the disk was full)
                self.rows[fid].editor.set_value(value)
                self._save(fid)  # said again, in the words of the screen now
        self.refresh(state)

    def refresh(self, state: CaseState) -> None:
        """Show the fields whose conditions hold now (branches follow answers live)."""
        session = self.session
        visible = {f.id for f in session.visible_fields(self.step)}
        for fid, row in self.rows.items():
            row.setVisible(fid in visible)
        script = _(session.script(self.step))
        if self.prompt.text() != script:
            self.prompt.setText(script)
        self.prompt.setAccessibleDescription(script)
        held = session.step_warnings(self.step)
        pending = session.pending_urgent(self.step)
        for box in (self.urgent_box, self.warning_box, self.advice_box):
            box.show_warnings([w for w in held if w.level == box.level], pending)
        self.explanation.show_explanation(session.explanation(self.step,
                                                              session.explain_language))
        skipped = self.step.id in state.skips
        self.skip_banner.setVisible(skipped)
        if skipped:
            text = _("Marked “not possible now”: {reason}").format(
                reason=session.skip_words(self.step.id))
            if self.step.sensitive:
                text += "\n" + _("A referral says of what is not answered here: “{words}”.")\
                    .format(words=session.skip_pack_words(self.step.id))
            self.skip_text.setText(text)
        if self.consent is not None:
            self.consent.refresh(state)
            self.consent.setVisible(self.session.asks_consent(self.step))

    def _explain_in(self, code: str) -> None:
        self.session.explain_language = code  # for the rest of this case's session
        self.explanation.show_explanation(self.session.explanation(self.step, code))

    def visible_rows(self) -> list[FieldRow]:
        return [r for r in self.rows.values() if not r.isHidden()]

    def focus_first(self) -> None:
        rows = self.visible_rows()
        # not TabFocusReason: a line edit would select its whole answer, and the first key
        # typed on coming back would replace it
        if rows:
            rows[0].editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.consent is not None:
            self.consent.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_field(self, field_id: str) -> bool:
        row = self.rows.get(field_id)
        if row is None or row.isHidden():
            return False
        row.editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- saving --------------------------------------------------------------------------------
    def _edited(self, field_id: str) -> None:
        self.indicator.saving()
        self.autosave.edited(field_id)

    def flush(self) -> None:
        if self.closed:
            return
        self.autosave.flush()
        # A list field saves when a value is chosen or the field is left; text typed into it
        # while its match list was open (then Next, Pause or a lock) is saved here.
        for fid, row in self.rows.items():
            if isinstance(row.editor, ListEditor) and not row.isHidden() \
                    and row.editor.value() != self.session.state.answers.get(fid):
                self.autosave.committed(fid)

    def close_form(self) -> None:
        """Save what is waiting, then stop: focus changes while closing save nothing."""
        self.flush()
        self.autosave.cancel()
        self.closed = True

    def _save(self, field_id: str) -> None:
        if self.closed:
            return
        row = self.rows[field_id]
        result = self.session.save(field_id, row.editor.value())
        if result.status in ("refused", "failed"):
            row.show_message(result.message)
            self.indicator.failed(result.message)
            return
        row.show_message("")
        if result.status == "saved":
            self.indicator.saved()
            self.saved.emit()
        elif self.indicator.state == "saving":
            self.indicator.saved()

    def shown_fields(self) -> list[str]:
        """The fields on screen now (a hidden one holds nothing back)."""
        return [fid for fid, row in self.rows.items() if not row.isHidden()]

    def _resume(self) -> None:
        try:
            self.session.resume()
        except USER_ERRORS as exc:
            self.indicator.failed(exc.message)
            return
        self.saved.emit()
        self.focus_first()

"""The interview page: stages down the side, the current step in the middle, guidance,
completeness and notes beside it; back / next / not possible now / pause below."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from firstcontact.app.errors import USER_ERRORS
from firstcontact.app.interview_session import InterviewSession, LeaveVerdict
from firstcontact.i18n import _
from firstcontact.ui.common import named
from firstcontact.ui.interview.completeness import CompletenessPanel
from firstcontact.ui.interview.coverage_panel import CoveragePanel
from firstcontact.ui.interview.guidance import GuidancePanel
from firstcontact.ui.interview.list_editor import ListModels
from firstcontact.ui.interview.notes_panel import NotesPanel
from firstcontact.ui.interview.save_indicator import SaveIndicator
from firstcontact.ui.interview.skip_dialog import SkipDialog
from firstcontact.ui.interview.stage_nav import StageNav
from firstcontact.ui.interview.step_form import FieldRow, StepForm

if TYPE_CHECKING:
    from firstcontact.app.workspace import Workspace

TAB_GUIDANCE, TAB_COMPLETENESS, TAB_NOTES, TAB_COVERAGE = range(4)


class InterviewPage(QWidget):
    paused = Signal(str)  # the reference of the case that was open
    open_settings = Signal()
    open_export = Signal(str)  # destination id ("" to choose)
    open_survivor_copy = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("interview")
        self.ws = ws
        self.session: InterviewSession | None = None
        self.form: StepForm | None = None
        self.lists = ListModels(ws.checklist.list_values, self)
        self._completeness_dirty = True
        self._sized = False  # panes sized once, when first shown
        self.read_only = False  # a pulled or handed-over case: shown, never changed

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.case_label = QLabel()
        self.case_label.setAccessibleName(_("Case reference"))
        top.addWidget(self.case_label, 1)
        self.export_button = named(QPushButton(_("&Export referral…")), _("Export referral"))
        self.copy_button = named(QPushButton(_("Sur&vivor copy…")),
                                 _("Make a copy for the person"))
        self.export_button.clicked.connect(lambda: self.open_export.emit(""))
        self.copy_button.clicked.connect(self.open_survivor_copy)
        top.addWidget(self.export_button)
        top.addWidget(self.copy_button)
        layout.addLayout(top)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.nav = StageNav(self.splitter)
        self.nav.step_chosen.connect(self.go_to_step)
        self.step_area = QScrollArea(self.splitter)
        self.step_area.setWidgetResizable(True)
        self.step_area.setAccessibleName(_("Current step"))
        self.side = named(QTabWidget(self.splitter), _("Guidance, completeness and notes"))
        self.guidance = GuidancePanel(ws.checklist)
        self.completeness = CompletenessPanel()
        self.notes = NotesPanel()
        self.coverage = CoveragePanel()
        self.side.addTab(self.guidance, _("&Guidance"))
        self.side.addTab(self.completeness, _("Co&mpleteness"))
        self.side.addTab(self.notes, _("No&tes"))
        self.side.addTab(self.coverage, _("C&riteria"))
        self.side.currentChanged.connect(self._tab_changed)
        self.completeness.go_to.connect(self.go_to_step)
        self.completeness.open_settings.connect(self.open_settings)
        self.completeness.open_export.connect(self.open_export)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        layout.addWidget(self.splitter, 1)

        bar = QHBoxLayout()
        self.back_button = named(QPushButton(_("&Back")), _("Back"), _("Previous step (Alt+B)"))
        self.next_button = named(QPushButton(_("&Next")), _("Next"), _("Next step (Alt+N)"))
        self.skip_button = named(QPushButton(_("Not &possible now…")), _("Not possible now"),
                                 _("Mark this step not possible now, with a reason"))
        self.pause_button = named(QPushButton(_("Pa&use")), _("Pause"),
                                  _("Back to the case list; everything is already saved"))
        for b in (self.back_button, self.next_button, self.skip_button, self.pause_button):
            b.setAutoDefault(False)
        self.indicator = SaveIndicator(self)
        bar.addWidget(self.back_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.skip_button)
        bar.addWidget(self.indicator, 1)
        bar.addWidget(self.pause_button)
        layout.addLayout(bar)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.skip_button.clicked.connect(self.ask_skip)
        self.pause_button.clicked.connect(self.pause)
        self.skip_dialog: SkipDialog | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self._size_panes()

    def _size_panes(self) -> None:
        """The stage list as wide as its longest line needs (up to a third), the step and the
        side panel sharing the rest 3:2: the stage counts were cut off before."""
        metrics = self.nav.tree.fontMetrics()
        longest = max((metrics.horizontalAdvance(
            _("{title} — {done} of {total}").format(title=_(st.title), done=12, total=12))
            for st in self.ws.checklist.stages), default=0)
        total = max(self.splitter.width(), 1)
        nav = min(longest + self.nav.tree.indentation() * 2 + metrics.averageCharWidth() * 6,
                  total // 3)
        nav = max(nav, self.nav.minimumWidth())
        self.splitter.setSizes([nav, (total - nav) * 3 // 5, (total - nav) * 2 // 5])

    # -- opening -------------------------------------------------------------------------------
    def open_case(self, reference: str, *, read_only: bool = False) -> None:
        """``read_only``: a supervisor's pulled copy, or a case handed over to another worker —
        the same screens, nothing can be changed (no typing, no skip, no note, no copy)."""
        self.close_case()
        self.session = InterviewSession(self.ws, reference)
        self._set_read_only(read_only)
        self.case_label.setText(
            _("Case {reference} (read-only)").format(reference=reference) if read_only
            else _("Case {reference}").format(reference=reference))
        step = self.session.resume_step()
        self.notes.refresh(self.session)
        self._completeness_dirty = True
        if step is not None:
            self.show_step(step.id)

    def resume(self, session: InterviewSession, step_id: str | None) -> None:
        """Show a case whose session is already open (the screens were rebuilt, e.g. in
        another language): drafts and text not stored yet come back with it."""
        self.session = session
        self.case_label.setText(_("Case {reference}").format(reference=session.reference))
        self.notes.refresh(session)
        self._completeness_dirty = True
        if step_id is not None:
            self.show_step(step_id)

    def close_case(self) -> None:
        """Save what is waiting and let go of the case (pause, lock, quick exit)."""
        if self.form is not None:
            self.form.close_form()
        self.session = None
        self._set_read_only(False)

    def _set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for w in (self.skip_button, self.copy_button, self.notes.add_button,
                  self.notes.text, self.notes.kind):
            w.setVisible(not read_only)

    @property
    def current_step(self) -> str | None:
        return self.form.step.id if self.form is not None else None

    def show_step(self, step_id: str, focus_field: str = "") -> None:
        session = self.session
        step = self.ws.checklist.step(step_id) if session is not None else None
        if session is None or step is None:
            return
        if self.form is not None:
            self.form.close_form()
        old = self.step_area.takeWidget()
        if old is not None:
            old.deleteLater()
        session.show(step.id)
        self.form = StepForm(session, step, self.lists, self.indicator)
        if self.read_only:
            self.form.setEnabled(False)  # shown as stored; nothing typed, nothing saved
        self.form.saved.connect(self.after_change)
        self.form.pause_requested.connect(self.pause)
        self.step_area.setWidget(self.form)
        self._chain_after(self.form)
        self.step_area.verticalScrollBar().setValue(0)
        self.guidance.show_step(step)
        self.indicator.clear_state()
        self._refresh_chrome()
        if not (focus_field and self.form.focus_field(focus_field)):
            self.form.focus_first()
        if focus_field:
            QTimer.singleShot(0, lambda: self._ensure_visible(focus_field))

    def _chain_after(self, form: QWidget) -> None:
        """Tab from a step's last control goes on to Back, Next, Not possible now and Pause
        (a new form would otherwise end the chain, and Tab would wrap to Quick exit)."""
        last: QWidget | None = None
        w: QWidget | None = form.nextInFocusChain()
        while w is not None and w is not form and form.isAncestorOf(w):
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus:
                last = w
            w = w.nextInFocusChain()
        chain = [last or self.nav.tree, self.back_button, self.next_button, self.skip_button,
                 self.pause_button, self.side]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _reveal(self, form: StepForm, last: QWidget, first: QWidget) -> None:
        if self.form is form:
            self.step_area.ensureWidgetVisible(last)
            self.step_area.ensureWidgetVisible(first)  # the first stays in view if both can't

    def _ensure_visible(self, field_id: str) -> None:
        if self.form is not None and field_id in self.form.rows:
            self.step_area.ensureWidgetVisible(self.form.rows[field_id])

    # -- refreshing after a change -------------------------------------------------------------
    def after_change(self) -> None:
        if self.session is None or self.form is None:
            return
        form = self.form
        before = set(map(id, form.visible_rows()))
        was_urgent = not form.urgent_box.isHidden()
        anchor = self._pointer_target(form)
        anchor_y = anchor.mapToGlobal(QPoint(0, 0)).y() if anchor is not None else 0
        form.refresh(self.session.state)
        opened = [r for r in form.visible_rows() if id(r) not in before]
        if not was_urgent and not form.urgent_box.isHidden():
            # an urgent answer: what to do now comes into view first, above the script
            QTimer.singleShot(0, lambda: self._reveal(form, form.urgent_box, form.urgent_box))
        elif anchor is not None and not any(r.isAncestorOf(anchor) for r in opened):
            # the worker is pointing at a control: it stays under the pointer, and what the
            # answer opened (questions, a warning) appears around it (a click aimed at the
            # next control once landed on a new one)
            QTimer.singleShot(0, lambda: self._keep_in_place(form, anchor, anchor_y))
        elif opened:  # from the keyboard: bring what the answer opened into view
            QTimer.singleShot(0, lambda: self._reveal(form, opened[-1], opened[0]))
        self._completeness_dirty = True
        self._refresh_chrome()

    @staticmethod
    def _pointer_target(form: QWidget) -> QWidget | None:
        """The control of the form under the mouse pointer, if any."""
        widget = QApplication.widgetAt(QCursor.pos())
        return widget if widget is not None and form.isAncestorOf(widget) else None

    def _keep_in_place(self, form: QWidget, anchor: QWidget, old_y: int) -> None:
        if self.form is not form:
            return
        layout = form.layout()
        if layout is not None:
            layout.activate()
        bar = self.step_area.verticalScrollBar()
        bar.setValue(bar.value() + anchor.mapToGlobal(QPoint(0, 0)).y() - old_y)

    def _refresh_chrome(self) -> None:
        session = self.session
        if session is None:
            return
        self.nav.refresh(session, self.current_step)
        current = self.current_step
        self.back_button.setEnabled(current is not None and session.previous_step() is not None)
        self.next_button.setEnabled(current is not None)
        act_first = self.form is not None and not self.read_only \
            and bool(session.pending_urgent(self.form.step))
        self.next_button.setText(_("&Next: act first") if act_first else _("&Next"))
        self.next_button.setToolTip(_("Record what you did about the urgent need first (Alt+N "
                                      "takes you there)") if act_first
                                    else _("Next step (Alt+N)"))
        if self.side.currentIndex() == TAB_COMPLETENESS:
            self.refresh_completeness()
        elif self.side.currentIndex() == TAB_COVERAGE:
            self.coverage.refresh(session)

    def refresh_completeness(self) -> None:
        if self.session is not None:
            self.completeness.refresh(self.session)
            self._completeness_dirty = False

    def _tab_changed(self, index: int) -> None:
        if index == TAB_COMPLETENESS and self._completeness_dirty:
            self.refresh_completeness()
        elif index == TAB_NOTES and self.session is not None:
            self.notes.refresh(self.session)
        elif index == TAB_COVERAGE and self.session is not None:
            self.coverage.refresh(self.session)

    def show_completeness(self) -> None:
        self.side.setCurrentIndex(TAB_COMPLETENESS)
        self.refresh_completeness()

    # -- intents -------------------------------------------------------------------------------
    def flush(self) -> None:
        if self.form is not None:
            self.form.flush()

    def _may_leave(self) -> bool:
        """Save what waits, then ask the session whether the step may be left; if not, hold
        here and say why (the session decides; the page only shows it)."""
        if self.form is None or self.session is None:
            return True
        form = self.form
        form.flush()
        verdict: LeaveVerdict = self.session.may_leave(
            form.shown_fields(),
            form.consent.destination if form.consent and not form.consent.isHidden() else None)
        if verdict.ok:
            self.session.left()
            return True
        if verdict.consent and form.consent is not None:
            return self._hold(form.consent.record_button, verdict.message)
        return self._hold(form.rows[verdict.field or ""], verdict.message)

    def _hold(self, at: QWidget, message: str) -> bool:
        """Stay on this step: the stage list shows it again, ``at`` (a field's row, with its
        message, or a button) is scrolled into view with the cursor in it, the indicator says
        why. Always False (not leaving)."""
        self._refresh_chrome()
        target = at.editor.focus_target() if isinstance(at, FieldRow) else at
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.step_area.ensureWidgetVisible(at)
        self.indicator.failed(message)
        return False

    def go_to_step(self, step_id: str, field_id: str = "") -> None:
        if step_id == self.current_step and self.form is not None:
            # already here: never rebuild the form (it would drop text that was refused)
            self._refresh_chrome()
            if not (field_id and self.form.focus_field(field_id)):
                self.form.focus_first()
            if field_id:
                self._ensure_visible(field_id)
            return
        if self._may_leave():
            self.show_step(step_id, field_id)

    def next(self) -> None:
        if self.session is None or self.current_step is None or not self._may_leave():
            return
        if self._act_first():
            return
        self._step_forward()

    def _act_first(self) -> bool:
        """An urgent need on this step whose action is not recorded: Next leads to acting
        (the urgent box, and the field for what was done), not to the next question."""
        form, session = self.form, self.session
        if form is None or session is None or self.read_only:
            return False
        pending = session.pending_urgent(form.step)
        if not pending:
            return False
        record = pending[0].record
        row = form.rows.get(record) if record else None
        self._refresh_chrome()
        self.step_area.ensureWidgetVisible(form.urgent_box)
        if row is not None and not row.isHidden():
            row.editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
            self.step_area.ensureWidgetVisible(row)
        self.indicator.attention(_("Act on the urgent need first, then record what you did. "
                                   "Pause if you need to stop the interview."))
        return True

    def _step_forward(self) -> None:
        if self.session is None or self.current_step is None:
            return
        step = self.session.next_step()
        if step is None:
            self.indicator.setText(_("That was the last step. See what each referral still "
                                     "needs under Completeness."))
            self.show_completeness()
            return
        self.show_step(step.id)

    def back(self) -> None:
        if self.session is None or self.current_step is None or not self._may_leave():
            return
        step = self.session.previous_step()
        if step is not None:
            self.show_step(step.id)

    def ask_skip(self) -> None:
        if self.form is None:
            return
        self.flush()
        dialog = SkipDialog(self.ws.checklist.skip_reasons, sensitive=self.form.step.sensitive,
                            parent=self)
        dialog.reason_given.connect(self.skip_with_reason)
        dialog.finished.connect(dialog.deleteLater)
        self.skip_dialog = dialog
        dialog.open()

    def skip_with_reason(self, reason: str, note: str = "") -> None:
        if self.session is None or self.current_step is None:
            return
        try:
            self.session.skip(reason, note)
        except USER_ERRORS as exc:
            self.indicator.failed(exc.message)
            return
        self.after_change()
        self._step_forward()  # marked not possible now: on, whatever waits on this step

    def pause(self) -> None:
        if not self._may_leave():
            return
        reference = self.session.reference if self.session is not None else ""
        self.close_case()
        self.paused.emit(reference)

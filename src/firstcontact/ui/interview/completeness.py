"""Per destination: complete, missing items (each a button to the step that fixes it), or the
rule that forbids it, in words; when it was last exported; what a pack will say of questions
not discussed. Above them, the warnings the answers call for (a companion interpreting, a date
of birth that contradicts the age), each a button to its step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from firstcontact import dates
from firstcontact.app.interview_session import InterviewSession
from firstcontact.app.views import MissingItem, PackCheck
from firstcontact.i18n import _, ngettext
from firstcontact.ui.common import named, wrapped
from firstcontact.ui.link_button import LinkButton


class CompletenessPanel(QScrollArea):
    go_to = Signal(str, str)  # step id, field id ("" for none)
    open_settings = Signal()
    open_export = Signal(str)  # destination id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("completeness")
        self.setWidgetResizable(True)
        # lines wrap to the panel's width: never a sideways scroll that hides the end of one
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(_("Completeness of each referral"))
        self.checks: dict[str, PackCheck] = {}
        self.item_buttons: dict[tuple[str, str], QPushButton] = {}
        self.export_buttons: dict[str, QPushButton] = {}
        self.warning_buttons: list[QPushButton] = []
        self.exported: dict[str, str] = {}

    def refresh(self, session: InterviewSession) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        self.checks = {}
        self.item_buttons = {}
        self.export_buttons = {}
        self.warning_buttons = []
        self.exported = dict(session.state.exports)
        warnings = session.warnings()
        if warnings:
            box = QGroupBox(_("Warnings"))
            box.setObjectName("completeness-warnings")
            box.setStyleSheet("#completeness-warnings { border: 2px solid #b35900; }")
            box_layout = QVBoxLayout(box)
            for step, warning in warnings:
                if warning.urgent and session.acted_on(warning):  # what was done is recorded
                    text = "✓ " + _("Acted on (what was done is recorded on the step): "
                                    "{text}").format(text=_(warning.text))
                elif warning.urgent:
                    text = "⚠ " + _("Urgent: {text}").format(text=_(warning.text))
                else:
                    text = "⚠ " + _(warning.text)
                box_layout.addWidget(wrapped(text, parent=box))
                title = _(step.title)
                button = self._link(_("Go to “{step}”").format(step=title),
                                    _("Go to the step"))
                button.clicked.connect(lambda _c=False, s=step.id: self.go_to.emit(s, ""))
                self.warning_buttons.append(button)
                box_layout.addWidget(button)
            layout.addWidget(box)
        for destination in session.ws.destinations.items:
            check = session.ws.packs.check(session.reference, destination.id)
            self.checks[destination.id] = check
            layout.addWidget(self._group(check))
        layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(body)

    def _group(self, check: PackCheck) -> QGroupBox:
        d = check.destination
        box = QGroupBox(_(d.title))
        box.setObjectName(f"completeness-{d.id}")
        box.setAccessibleName(_(d.title))
        layout = QVBoxLayout(box)
        if check.refusals:
            layout.addWidget(wrapped(_("Not allowed for this case:")))
            for text in check.refusals:
                layout.addWidget(wrapped("• " + _(text)))
        elif check.complete:
            layout.addWidget(wrapped(_("Complete: ready to export.")))
            if check.not_discussed:
                layout.addWidget(wrapped(_("Will be sent as not discussed:") + "\n" + "\n".join(
                    "• " + _("{label} — “{text}”").format(label=_(label), text=text)
                    for label, text in check.not_discussed)))
        else:
            n = len(check.missing)
            layout.addWidget(wrapped(ngettext("{n} item missing:", "{n} items missing:", n)
                                     .format(n=n)))
        if d.id in self.exported:
            done = wrapped(_("Exported on {when}.").format(when=dates.when(self.exported[d.id])))
            done.setObjectName(f"exported-{d.id}")
            layout.addWidget(done)
        for text in check.notices:
            note = wrapped("ℹ " + _(text))
            note.setStyleSheet("font-style: italic;")
            layout.addWidget(note)
        if not check.refusals:
            for item in check.missing:
                layout.addWidget(self._item_button(d.id, item))
        if check.complete:
            button = named(QPushButton(_("Export this pack…")),
                           _("Export {destination}").format(destination=_(d.title)))
            button.clicked.connect(lambda _c=False, dest=d.id: self.open_export.emit(dest))
            self.export_buttons[d.id] = button
            layout.addWidget(button)
        return box

    def _item_button(self, destination: str, item: MissingItem) -> QPushButton:
        text = _("{label} — {problem}").format(label=_(item.label), problem=item.problem)
        button = self._link(text, self._where(item))
        button.clicked.connect(lambda _c=False, i=item, d=destination: self._fix(i, d))
        self.item_buttons[(destination, item.key)] = button
        return button

    @staticmethod
    def _link(text: str, where: str) -> QPushButton:
        """A flat button that reads like a link and wraps (no sideways scrolling)."""
        button = LinkButton(text)
        button.setAccessibleDescription(where)
        button.setToolTip(where)
        return button

    @staticmethod
    def _where(item: MissingItem) -> str:
        if item.fix == "profile":
            return _("Fixed in Settings (your details)")
        if item.fix == "service":
            return _("Chosen when exporting")
        return _("Go to the step that asks for it")

    def _fix(self, item: MissingItem, destination: str) -> None:
        if item.fix == "profile":
            self.open_settings.emit()
        elif item.fix == "service" or item.step is None:
            self.open_export.emit(destination)
        else:
            self.go_to.emit(item.step, item.key if ":" not in item.key else "")

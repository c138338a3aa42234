"""Beside the step: the knowledge items (K) that inform it and the criteria (PC) it evidences."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from firstcontact.domain.model import Checklist, Step
from firstcontact.i18n import _
from firstcontact.ui.common import heading, wrapped


class GuidancePanel(QScrollArea):
    def __init__(self, checklist: Checklist, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checklist = checklist
        self.setWidgetResizable(True)
        self.setObjectName("guidance")
        self.setAccessibleName(_("Guidance for this step"))
        self.show_step(None)

    def show_step(self, step: Step | None) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        if step is not None:
            if step.guidance:
                layout.addWidget(heading(_("Keep in mind"), 1.1))
                for kid in step.guidance:
                    item = self.checklist.criterion(kid)
                    if item is not None:
                        layout.addWidget(wrapped(f"{item.id}: {item.text}"))
                        note = self.checklist.practice.get(kid)
                        if note:  # the standard's words, then what it means in practice
                            practice = wrapped(_("In practice: {note}").format(note=_(note)))
                            practice.setObjectName(f"practice-{kid}")
                            practice.setContentsMargins(12, 0, 0, 6)
                            layout.addWidget(practice)
            layout.addWidget(heading(_("This step evidences"), 1.1))
            for pc in step.pcs:
                item = self.checklist.criterion(pc)
                if item is not None:
                    layout.addWidget(wrapped(f"{item.id}: {item.text}"))
            if step.source:
                layout.addWidget(heading(_("Where the wording comes from"), 1.0))
                layout.addWidget(wrapped(step.source))
        layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(body)

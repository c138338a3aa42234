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
            layout.addWidget(heading(_("This step evidences"), 1.1))
            for pc in step.pcs:
                item = self.checklist.criterion(pc)
                if item is not None:
                    layout.addWidget(wrapped(f"{item.id}: {item.text}"))
        layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(body)

"""The words a step reads with the person (the survivor texts' explanation for the case:
confidentiality and its limits, the NRM, the police), in their own box under the script."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from firstcontact.app.person_texts import ExplanationView
from firstcontact.i18n import _
from firstcontact.ui.common import heading, wrapped


class ExplanationBox(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explanation")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#explanation { border: 1px solid #2f6f4f; }")
        self.box = QVBoxLayout(self)
        self.title = heading("", 1.05)
        self.box.addWidget(self.title)
        self.box.addWidget(wrapped(_(
            "Read these words with the person, one part at a time, in their language (through "
            "the interpreter if there is one). They fit this case."), parent=self,
            selectable=False))
        self.parts: list[QLabel] = []
        self._shown: ExplanationView | None = None
        self.hide()

    def show_explanation(self, view: ExplanationView | None) -> None:
        self.setVisible(view is not None)
        if view is None or view == self._shown:
            return
        self._shown = view
        self.title.setText(_("Words for the person: {title}").format(title=view.title))
        for label in self.parts:
            label.deleteLater()
        self.parts = []
        for _part_id, text in view.parts:
            label = wrapped(text, parent=self)
            self.box.addWidget(label)
            label.show()  # added to a box that may be on screen already
            self.parts.append(label)

    def texts(self) -> list[str]:
        return [label.text() for label in self.parts]

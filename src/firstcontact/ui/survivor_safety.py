"""The safety check before a copy is made for the person: is it safe for them to carry a paper
or digital copy, and how does it reach them (given now, kept for later, sent to a safe address
they gave)? And is it safe for them to carry the names and whereabouts of the people involved?
No copy is made until the worker has answered, nor when it is not safe."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from firstcontact.app.survivor_copy import CopySafety
from firstcontact.domain.handover import Handover
from firstcontact.i18n import _
from firstcontact.ui.common import named, wrapped
from firstcontact.ui.interview.editors import wrapping_check

NOT_SAFE = "not-safe"


class SafetyCheck(QGroupBox):
    changed = Signal()

    def __init__(self, addresses: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(_("Is it safe for the person to carry a paper or digital copy?"), parent)
        self.setObjectName("survivor-safety")
        self.setAccessibleName(self.title())
        self.addresses = addresses
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(_(
            "Think of who else may see it: someone they live or work with, or who checks their "
            "phone. If in doubt, keep it for them."), parent=self, selectable=False))
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for value, text, name in (
                ("now", _("Yes: give it to them &now"), _("Give it to them now")),
                ("later", _("Yes, but &keep it for them to collect later"),
                 _("Keep it for them to collect later")),
                ("safe-address", _("Yes: send it to a safe add&ress they gave"),
                 _("Send it to a safe address they gave")),
                (NOT_SAFE, _("N&o: it is not safe for them to have a copy now"),
                 _("It is not safe for them to have a copy now"))):
            button = named(QRadioButton(text, self), name)
            self.group.addButton(button)
            self.buttons[value] = button
            layout.addWidget(button)
            button.toggled.connect(lambda _on: self._update())
        self.address = wrapped("", parent=self)
        self.address.setObjectName("survivor-safe-address")
        layout.addWidget(self.address)
        row, self.exploiters = wrapping_check(_(
            "It is safe for them to carry the names and whereabouts of the people involved "
            "(left out unless ticked)"), _("Include the people involved"), self)
        self.exploiters.toggled.connect(lambda _on: self.changed.emit())
        layout.addWidget(row)
        self._update()

    def choice(self) -> str | None:
        return next((v for v, b in self.buttons.items() if b.isChecked()), None)

    def _update(self) -> None:
        if self.choice() == "safe-address":
            self.address.setText(_("Send it to: {addresses}").format(
                addresses="; ".join(self.addresses)) if self.addresses else _(
                "No safe address is recorded: record an email or postal address the person "
                "confirmed safe (How to reach them about the referral), or choose another way."))
        self.address.setVisible(self.choice() == "safe-address")
        self.changed.emit()

    def problem(self) -> str:
        """Why no copy can be made yet ("" when one can)."""
        choice = self.choice()
        if choice is None:
            return _("Answer the safety question first.")
        if choice == NOT_SAFE:
            return _("Make no copy now: the person can ask for one whenever it is safe.")
        if choice == "safe-address" and not self.addresses:
            return _("No safe address is recorded.")
        return ""

    def safety(self) -> CopySafety:
        handover: Handover = "later" if self.choice() == "later" else \
            "safe-address" if self.choice() == "safe-address" else "now"
        return CopySafety(handover, self.exploiters.isChecked())

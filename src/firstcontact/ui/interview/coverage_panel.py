"""The case's SFJ BE2 coverage beside the interview: each PC evidenced, open (with what the
record does not show yet), not applicable or not possible now — the same result as
`firstcontact case show` and the internal case record."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from firstcontact.app.interview_session import InterviewSession
from firstcontact.app.views import CoverageView
from firstcontact.i18n import N_, _, ngettext
from firstcontact.ui.common import heading, wrapped

STATUS_WORDS = {"evidenced": N_("Evidenced"), "open": N_("Open"),
                "not-applicable": N_("Not applicable"),
                "not-possible-now": N_("Not possible now")}
STATUS_MARKS = {"evidenced": "✓", "open": "○", "not-applicable": "–", "not-possible-now": "…"}


class CoveragePanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverage")
        self.setWidgetResizable(True)
        self.setAccessibleName(_("Criteria coverage (SFJ BE2)"))
        self.rows: dict[str, QLabel] = {}
        self.views: tuple[CoverageView, ...] = ()

    def refresh(self, session: InterviewSession) -> None:
        self.views = session.ws.queries.coverage(session.state)
        body = QWidget()
        layout = QVBoxLayout(body)
        evidenced = sum(v.status == "evidenced" for v in self.views)
        layout.addWidget(heading(ngettext("{n} of {total} criterion evidenced",
                                          "{n} of {total} criteria evidenced",
                                          len(self.views)).format(n=evidenced,
                                                                  total=len(self.views)), 1.1))
        self.rows = {}
        for view in self.views:
            label = wrapped(self._text(view), parent=body)
            label.setObjectName(f"coverage-{view.id}")
            label.setAccessibleName(self._text(view))
            label.setToolTip(f"{view.id}: {view.text}")  # the standard's own words
            label.setAccessibleDescription(view.text)
            self.rows[view.id] = label
            layout.addWidget(label)
        layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(body)

    @staticmethod
    def _text(view: CoverageView) -> str:
        head = f"{STATUS_MARKS.get(view.status, '')} {view.id}: {_(STATUS_WORDS[view.status])}"
        why = view.missing if view.status == "open" else view.reasons
        return head + "".join("\n    " + reason for reason in why if reason)

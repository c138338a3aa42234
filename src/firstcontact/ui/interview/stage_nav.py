"""The stages down the side, each with its progress and its steps; choosing a step jumps."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firstcontact.app.interview_session import InterviewSession
from firstcontact.i18n import _, ngettext
from firstcontact.ui import labels
from firstcontact.ui.common import named

STEP_ROLE = Qt.ItemDataRole.UserRole + 10


class StageNav(QWidget):
    step_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # the count is a label beside the bar, not text drawn over it: over the filled part
        # it lost its contrast
        self.overall_text = QLabel(self)
        self.overall = named(QProgressBar(self), _("Interview progress"))
        self.overall.setTextVisible(False)
        self.overall.setMaximumHeight(self.fontMetrics().height() // 2 + 2)
        layout.addWidget(self.overall_text)
        layout.addWidget(self.overall)
        self.tree = named(QTreeWidget(self), _("Stages and steps"))
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._chosen)
        self.tree.itemClicked.connect(self._chosen)
        layout.addWidget(self.tree, 1)
        self._items: dict[str, QTreeWidgetItem] = {}
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 28)

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        step_id = item.data(0, STEP_ROLE)
        if step_id:
            self.step_chosen.emit(str(step_id))

    def refresh(self, session: InterviewSession, current: str | None) -> None:
        applicable = session.applicable()
        progress = {p.stage.id: p for p in session.progress()}
        self.tree.blockSignals(True)
        self.tree.clear()
        self._items = {}
        done = total = 0
        for stage in session.checklist.stages:
            p = progress[stage.id]
            if not p.total:
                continue
            done += p.done
            total += p.total
            text = _("{title} — {done} of {total}").format(title=_(stage.title), done=p.done,
                                                          total=p.total)
            stage_item = QTreeWidgetItem([text])
            stage_item.setData(0, Qt.ItemDataRole.AccessibleTextRole, text)
            stage_item.setToolTip(0, stage.summary)
            self.tree.addTopLevelItem(stage_item)
            for step in (s for s in applicable if s.stage == stage.id):
                status = session.step_status(step)
                label = f"{labels.step_mark(status)} {step.title}"
                item = QTreeWidgetItem([label])
                item.setData(0, STEP_ROLE, step.id)
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                             f"{step.title}: {labels.step_status(status)}")
                item.setToolTip(0, labels.step_status(status))
                stage_item.addChild(item)
                self._items[step.id] = item
            stage_item.setExpanded(True)
        self.overall.setRange(0, max(total, 1))
        self.overall.setValue(done)
        text = ngettext("{done} of {total} step done", "{done} of {total} steps done",
                        total).format(done=done, total=total)
        self.overall_text.setText(text)
        self.overall.setAccessibleDescription(text)
        if current in self._items:
            self.tree.setCurrentItem(self._items[current])
        self.tree.blockSignals(False)

    def step_ids(self) -> list[str]:
        return list(self._items)

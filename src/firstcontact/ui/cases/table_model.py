"""The case list as Qt model/view over the stored per-case summaries.

The rows come from ``Workspace.list_cases`` (stored summaries, never recomputed). Filtering is
done in Python over precomputed keys and applied by the proxy from a flag per row, and sorting
sorts the row list itself: both stay fast with 10,000 cases (brief §6: ≤ 100 ms).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from firstcontact.app.views import CaseListRow
from firstcontact.i18n import _
from firstcontact.ui import labels

Index = QModelIndex | QPersistentModelIndex
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
REFERENCE_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3


@dataclass(frozen=True)
class Column:
    key: str
    title: str


class CaseTableModel(QAbstractTableModel):
    """Reference, created, stage reached, one column per destination, status."""

    def __init__(self, destinations: Sequence[tuple[str, str]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._destinations = tuple(destinations)  # (id, short title)
        self.columns = (Column("reference", _("Reference")), Column("created", _("Created")),
                        Column("stage", _("Stage reached")),
                        *(Column(f"dest:{d}", title) for d, title in self._destinations),
                        Column("status", _("Status")))
        self._rows: list[CaseListRow] = []
        self._search: list[str] = []
        self._accepted: list[bool] = []
        self._filter: tuple[str, str | None] = ("", None)

    # -- loading and filtering -----------------------------------------------------------------
    def load(self, rows: Sequence[CaseListRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._search = [_search_key(r) for r in self._rows]
        self._accepted = self._matches(*self._filter)
        self.endResetModel()

    def set_filter(self, text: str, status: str | None) -> None:
        """Compute the flag per row; the proxy must then re-read them (see CaseFilterProxy)."""
        self._filter = (text.strip().casefold(), status)
        self._accepted = self._matches(*self._filter)

    def accepted(self, source_row: int) -> bool:
        return self._accepted[source_row]

    def row(self, source_row: int) -> CaseListRow:
        return self._rows[source_row]

    def find(self, case_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.case_id == case_id), -1)

    def _matches(self, needle: str, status: str | None) -> list[bool]:
        """One flag per row: the search key contains ``needle`` and the status is ``status``."""
        if not needle and status is None:
            return [True] * len(self._rows)
        return [(not needle or needle in key) and (status is None or row.status == status)
                for key, row in zip(self._search, self._rows, strict=True)]

    # -- Qt model ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, self.columns[index.column()].key)
        if role == CASE_ID_ROLE:
            return row.case_id
        if role == REFERENCE_ROLE:
            return row.reference
        if role == STATUS_ROLE:
            return row.status
        return None

    def _text(self, row: CaseListRow, key: str) -> str:
        if key == "reference":
            return row.reference
        if key == "created":
            return row.created_at[:16].replace("T", " ")
        if key == "stage":
            return _(row.stage_title) if row.stage_title else _("not started")
        if key == "status":
            return labels.case_status(row.status)
        state = row.completeness.get(key.removeprefix("dest:"))
        return labels.completeness(state) if state else "—"

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].key
        self.layoutAboutToBeChanged.emit()
        triples = list(zip(self._rows, self._search, self._accepted, strict=True))
        triples.sort(key=lambda t: self._sort_key(t[0], key),
                     reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [t[0] for t in triples]
        self._search = [t[1] for t in triples]
        self._accepted = [t[2] for t in triples]
        self.layoutChanged.emit()

    def _sort_key(self, row: CaseListRow, key: str) -> str:
        if key == "reference":
            return row.reference
        if key == "created":
            return row.created_at
        if key == "stage":
            return row.stage or ""
        if key == "status":
            return row.status
        return row.completeness.get(key.removeprefix("dest:"), "")


def _search_key(row: CaseListRow) -> str:
    return " ".join((row.reference, row.stage_title or "", row.created_at[:10])).casefold()


class CaseFilterProxy(QSortFilterProxyModel):
    """Shows the rows the source model flags; sorting is delegated to the source model."""

    def __init__(self, model: CaseTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self._cases = model
        self.setSourceModel(model)

    def case_model(self) -> CaseTableModel:
        return self._cases

    def set_filter(self, text: str, status: str | None) -> None:
        self.beginFilterChange()
        self.case_model().set_filter(text, status)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return self._cases.accepted(source_row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.case_model().sort(column, order)

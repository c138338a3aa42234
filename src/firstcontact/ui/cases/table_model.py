"""The case list as a Qt model over the stored per-case summaries, read a screenful at a time.

The model holds only the ordered case ids of the current search, filter and sort (one query on
one column); a row's contents are read in blocks when the view first asks for them. Filtering
and sorting are queries on the store, so opening, filtering and sorting 10,000 cases never
decode every summary (brief §6: ≤ 100 ms).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from firstcontact.app.case_listing import CaseQuery
from firstcontact.app.reminders import follow_up_overdue, reminder_words
from firstcontact.app.views import CaseListRow
from firstcontact.i18n import _
from firstcontact.ui import labels

Index = QModelIndex | QPersistentModelIndex
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
REFERENCE_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3
BLOCK = 128  # rows read at once: a few screenfuls


class CaseSource(Protocol):
    """What the model reads (the Workspace provides it)."""

    def case_ids(self, query: CaseQuery) -> list[str]: ...

    def case_rows(self, case_ids: Sequence[str]) -> list[CaseListRow]: ...


@dataclass(frozen=True)
class Column:
    key: str  # a CaseQuery sort key
    title: str
    description: str = ""  # the heading's tooltip and accessible description


class CaseTableModel(QAbstractTableModel):
    """Reference, created, stage reached, one column per destination, the last export, sync,
    status."""

    def __init__(self, destinations: Sequence[tuple[str, str, str]], source: CaseSource,
                 parent: QObject | None = None, *, block: int = BLOCK) -> None:
        super().__init__(parent)
        self._source = source
        self._block = block
        self.columns = (Column("reference", _("Reference")), Column("created", _("Created")),
                        Column("stage", _("Stage reached")),
                        *(Column(f"dest:{d}", heading, title)
                          for d, heading, title in destinations),
                        Column("exported", _("Last export"),
                               _("The last pack exported from the case, and when")),
                        Column("reminders", _("Reminders"),
                               _("An NRM decision awaited; the next review, or a follow-up "
                                 "overdue")),
                        Column("sync", _("Sync"),
                               _("Where the case stands with your organisation's hub: pending, "
                                 "synced at …, or needs attention (and why)")),
                        Column("review", _("Review"),
                               _("A supervisor's review: for review, signed off, needs "
                                 "changes, a note, or two versions to decide between")),
                        Column("status", _("Status")))
        self._headings = {d: heading for d, heading, _title in destinations}
        self._query = CaseQuery()
        self._ids: list[str] = []
        self._rows: dict[str, CaseListRow] = {}  # the rows read so far

    # -- what is shown -------------------------------------------------------------------------
    @property
    def query(self) -> CaseQuery:
        return self._query

    def reload(self) -> None:
        """Read the ids again and forget the rows read: the cases have changed."""
        self._requery(self._query, forget_rows=True)

    def set_filter(self, text: str, status: str | None, review: str | None = None) -> None:
        self._requery(replace(self._query, text=text, status=status, review=review))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        query = replace(self._query, sort=self.columns[column].key,
                        descending=order == Qt.SortOrder.DescendingOrder)
        if query != self._query:
            self._requery(query)

    def _requery(self, query: CaseQuery, *, forget_rows: bool = False) -> None:
        """New ids as a layout change: the selected case stays selected wherever it moves."""
        ids = self._source.case_ids(query)
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        kept_ids = [self._ids[i.row()] if 0 <= i.row() < len(self._ids) else None for i in kept]
        self._query, self._ids = query, ids
        if forget_rows:
            self._rows = {}
        rows = {case_id: row for row, case_id in enumerate(ids)} if kept else {}
        self.changePersistentIndexList(kept, [
            self.index(rows[case_id], index.column()) if case_id in rows else QModelIndex()
            for index, case_id in zip(kept, kept_ids, strict=True)])
        self.layoutChanged.emit()

    def column_of(self, key: str) -> int:
        return next(i for i, column in enumerate(self.columns) if column.key == key)

    def case_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, case_id: str) -> int:
        try:
            return self._ids.index(case_id)
        except ValueError:
            return -1

    def case_row(self, row: int) -> CaseListRow | None:
        """The row's summary, reading its block when it has not been read yet."""
        case_id = self._ids[row]
        found = self._rows.get(case_id)
        if found is None:
            start = row - row % self._block
            block = [i for i in self._ids[start:start + self._block] if i not in self._rows]
            self._rows.update((r.case_id, r) for r in self._source.case_rows(block))
            found = self._rows.get(case_id)  # None: deleted since the ids were read
        return found

    # -- Qt model ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self.columns[section]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.title
        if role in (Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleDescriptionRole) and column.description:
            return column.description
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == CASE_ID_ROLE:
            return self._ids[index.row()]
        key = self.columns[index.column()].key
        tooltip = role == Qt.ItemDataRole.ToolTipRole and key == "sync"  # may be long
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                        REFERENCE_ROLE, STATUS_ROLE, Qt.ItemDataRole.FontRole) and not tooltip:
            return None
        row = self.case_row(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.FontRole:  # a reminder to act on stands out
            if self.columns[index.column()].key != "reminders" or not (
                    row.decision_due or follow_up_overdue(row)):
                return None
            font = QFont()
            font.setBold(True)
            return font
        if role == REFERENCE_ROLE:
            return row.reference
        if role == STATUS_ROLE:
            return row.status
        return _text(row, key, self._headings)


def _text(row: CaseListRow, key: str, headings: dict[str, str]) -> str:
    if key == "reference":
        return row.reference
    if key == "created":
        return labels.local_time(row.created_at)
    if key == "stage":
        return _(row.stage_title) if row.stage_title else _("not started")
    if key == "status":
        return labels.case_status(row.status)
    if key == "reminders":
        return "; ".join(reminder_words(row)) or "—"
    if key == "sync":
        return row.sync_words
    if key == "review":
        return row.review_words or "—"
    if key == "exported":
        if not row.last_export_destination or not row.last_export_at:
            return "—"
        return _("{destination}, {when}").format(
            destination=headings.get(row.last_export_destination, row.last_export_destination),
            when=labels.local_time(row.last_export_at))
    state = row.completeness.get(key.removeprefix("dest:"))
    return labels.completeness(state) if state else "—"

"""The case list page: search, filter by status, new / open / close / reopen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from firstcontact.app.errors import USER_ERRORS, NotFound
from firstcontact.app.review_words import state_words
from firstcontact.app.sync_words import STATES, short_words, sync_words
from firstcontact.i18n import N_, _, ngettext
from firstcontact.ui import labels
from firstcontact.ui.cases.table_model import REFERENCE_ROLE, STATUS_ROLE, CaseTableModel
from firstcontact.ui.common import heading, named, wrapped

if TYPE_CHECKING:
    from firstcontact.app.workspace import Workspace

_STATUS_FILTERS = ((None, N_("All cases")), ("open", N_("Open")), ("closed", N_("Closed")))
FOR_REVIEW = "for-review"  # a supervisor's filter: pulled copies waiting for a review


class CaseTable(QTableView):
    """Enter opens the selected case."""

    activated_row = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class CaseListPage(QWidget):
    open_case = Signal(str)  # reference
    open_settings = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setObjectName("case-list")
        destinations = [(d.id, _(d.heading), _(d.title)) for d in ws.destinations.items
                        if d.external]  # the internal case record is always there to make
        self.model = CaseTableModel(destinations, ws.queries, self)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Cases")))
        self.profile_hint = QWidget()
        hint_row = QHBoxLayout(self.profile_hint)
        hint_row.setContentsMargins(0, 0, 0, 0)
        hint_text = wrapped(_("Every referral carries your name, role, phone, email and "
                              "organisation. Add them once in Settings before your first "
                              "export."))
        self.profile_button = named(QPushButton(_("Add &your details…")),
                                    _("Add your details"))
        self.profile_button.clicked.connect(self.open_settings)
        hint_row.addWidget(hint_text, 1)
        hint_row.addWidget(self.profile_button)
        layout.addWidget(self.profile_hint)
        bar = QHBoxLayout()
        search_label = QLabel(_("Sea&rch:"))
        self.search = named(QLineEdit(), _("Search cases"),
                            _("Filter the list by reference, stage or date"))
        self.search.setPlaceholderText(_("Reference, stage or date"))
        self.search.setClearButtonEnabled(True)
        search_label.setBuddy(self.search)
        status_label = QLabel(_("S&how:"))
        self.status_filter = named(QComboBox(), _("Show cases"))
        for value, text in _STATUS_FILTERS:
            self.status_filter.addItem(_(text), value)
        if ws.review.is_supervisor:
            self.status_filter.addItem(_("For review"), FOR_REVIEW)
        self.status_filter.setCurrentIndex(1)
        status_label.setBuddy(self.status_filter)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        bar.addWidget(status_label)
        bar.addWidget(self.status_filter)
        layout.addLayout(bar)

        self.table = named(CaseTable(), _("Cases"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        rows = self.table.verticalHeader()
        rows.hide()
        # fixed row heights and column widths measured on a sample: 10,000 rows stay fast
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        # widths from the longest text each column can show, measured once: sizing to the
        # contents would read rows the screen does not show
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._size_columns(ws)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setSortingEnabled(True)  # a click on a heading sorts in the store
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated_row.connect(self._open_index)
        layout.addWidget(self.table, 1)

        self.count = QLabel()
        self.count.setAccessibleName(_("Number of cases shown"))
        layout.addWidget(self.count)

        buttons = QHBoxLayout()
        self.new_button = named(QPushButton(_("&New case")), _("New case"))
        self.open_button = named(QPushButton(_("&Open case")), _("Open case"))
        self.status_button = named(QPushButton(_("C&lose case")), _("Close case"))
        for b in (self.new_button, self.open_button, self.status_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.new_button.clicked.connect(self.new_case)
        self.open_button.clicked.connect(lambda: self._open_index(self.table.currentIndex()))
        self.status_button.clicked.connect(self.toggle_status)
        self.search.textChanged.connect(self.apply_filter)
        self.status_filter.currentIndexChanged.connect(self.apply_filter)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.setTabOrder(self.search, self.status_filter)
        self.setTabOrder(self.status_filter, self.table)
        self.setTabOrder(self.table, self.new_button)
        self.apply_filter()  # the first read, with the filter the controls show

    def _size_columns(self, ws: Workspace) -> None:
        header = self.table.horizontalHeader()
        cells, titles = self.table.fontMetrics(), header.fontMetrics()
        padding = cells.averageCharWidth() * 2
        samples = {"reference": ["FC-WWWWWW"], "created": ["2088-08-28 28:28"],
                   "review": [state_words(st) for st in ("for-review", "signed-off",
                                                         "needs-changes", "conflict")],
                   "sync": [sync_words("synced", "2088-08-28T08:28:28.000000Z"),
                            *(short_words(st) for st in STATES)],
                   "stage": [_("not started"), *(_(st.title) for st in ws.checklist.stages)],
                   "status": [labels.case_status(st) for st in ("open", "closed")]}
        states = [labels.completeness(st) for st in ("complete", "incomplete", "refused")]
        for section, column in enumerate(self.model.columns):
            texts = samples.get(column.key, states)
            width = max(cells.horizontalAdvance(t) for t in texts)
            title = titles.horizontalAdvance(column.title) + titles.averageCharWidth() * 3
            header.resizeSection(section, max(width, title) + padding)

    def show_sync_column(self, shown: bool) -> None:
        """The sync and review columns, only once this laptop is enrolled with a hub."""
        self.table.setColumnHidden(self.model.column_of("sync"), not shown)
        self.table.setColumnHidden(self.model.column_of("review"), not shown)
        if shown and self._ws.review.is_supervisor \
                and self.status_filter.findData(FOR_REVIEW) < 0:
            self.status_filter.addItem(_("For review"), FOR_REVIEW)

    # -- data ----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the list again (cases changed), keeping the selected case selected."""
        current, row = self._current_case_id(), self.table.currentIndex().row()
        self.model.reload()
        self._after_change(current, row)

    def apply_filter(self) -> None:
        current = self._current_case_id()
        shown = self.status_filter.currentData()
        if shown == FOR_REVIEW:
            self.model.set_filter(self.search.text(), None, FOR_REVIEW)
        else:
            self.model.set_filter(self.search.text(), shown)
        self._after_change(current, 0)

    def _current_case_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.case_id(index.row()) if index.isValid() else None

    def update_profile_hint(self) -> None:
        """Shown while the worker profile lacks something every referral needs."""
        self.profile_hint.setVisible(not all(self._ws.settings.profile().nrm_fields().values()))

    def _after_change(self, keep: str | None = None, fallback_row: int = 0) -> None:
        """Select ``keep`` if still shown, else the row now at ``fallback_row`` (the next case
        after one that was closed and left the filter)."""
        n = self.model.rowCount()
        query = self.model.query
        if n:
            self.count.setText(ngettext("{n} case", "{n} cases", n).format(n=n))
        elif query.review:
            self.count.setText(_("No cases wait for review. Sync now to pull the workers' "
                                 "latest changes."))
        elif query.text.strip() or query.status == "closed":
            self.count.setText(_("No cases match. Clear the search or show all cases."))
        else:
            self.count.setText(_("No open cases. Choose New case (Alt+N) to start an initial "
                                 "response."))
        self.update_profile_hint()
        row = self.model.row_of(keep) if keep else -1
        if n:
            row = row if row >= 0 else min(max(fallback_row, 0), n - 1)
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._update_buttons()

    def current_reference(self) -> str | None:
        index = self.table.currentIndex()
        return str(index.data(REFERENCE_ROLE)) if index.isValid() else None

    def select_reference(self, reference: str) -> bool:
        """Select the case if the current filter shows it."""
        try:
            row = self.model.row_of(self._ws.queries.find(reference).id)
        except NotFound:
            return False
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
        return row >= 0

    def _update_buttons(self) -> None:
        index = self.table.currentIndex()
        self.open_button.setEnabled(index.isValid())
        self.status_button.setEnabled(index.isValid())
        closed = index.isValid() and index.data(STATUS_ROLE) == "closed"
        text = _("R&eopen case") if closed else _("C&lose case")
        self.status_button.setText(text)
        self.status_button.setAccessibleName(text.replace("&", ""))

    # -- intents -------------------------------------------------------------------------------
    def new_case(self) -> None:
        try:
            case = self._ws.cases.new()
        except USER_ERRORS as exc:
            self.show_error(exc.message)
            return
        self.reload()
        self.open_case.emit(case.reference)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case.emit(str(index.data(REFERENCE_ROLE)))

    def toggle_status(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        reference = str(index.data(REFERENCE_ROLE))
        closed = index.data(STATUS_ROLE) == "closed"
        try:
            self._ws.cases.set_status(reference, "open" if closed else "closed")
        except USER_ERRORS as exc:
            self.show_error(exc.message)
            return
        self.reload()

    def show_error(self, message: str) -> None:
        """A refused action: said where the count is, until the list changes."""
        self.count.setText(_("Not done: {reason}").format(reason=message))

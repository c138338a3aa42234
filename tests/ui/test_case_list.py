"""The case list page over a real store: rows read a screenful at a time, search, filter, sort,
and the selection kept where the worker expects it."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView

from firstcontact.app.case_listing import CaseQuery
from firstcontact.app.views import CaseListRow
from firstcontact.app.workspace import Workspace
from firstcontact.ui.cases.case_list import CaseListPage
from firstcontact.ui.cases.table_model import REFERENCE_ROLE, CaseTableModel
from tests.conftest import PASSPHRASE
from tests.ui.helpers import click


@pytest.fixture
def ws(data_dir):
    workspace = Workspace.create(data_dir, PASSPHRASE)
    yield workspace
    workspace.close()


class CountingSource:
    """The workspace, counting the rows the model reads."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.read: list[str] = []

    def case_ids(self, query: CaseQuery) -> list[str]:
        return self.ws.queries.ids(query)

    def case_rows(self, case_ids: Sequence[str]) -> list[CaseListRow]:
        self.read.extend(case_ids)
        return self.ws.queries.rows(case_ids)


def test_the_model_reads_only_the_rows_on_screen(qtbot, ws):
    made = [ws.cases.new().reference for _ in range(40)]
    source = CountingSource(ws)
    model = CaseTableModel([("nrm", "NRM", "NRM referral")], source, block=8)
    model.reload()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(500, 8 * view.verticalHeader().defaultSectionSize())
    view.show()
    qtbot.waitExposed(view)
    assert model.rowCount() == 40
    qtbot.waitUntil(lambda: len(source.read) > 0)  # painted
    assert len(source.read) < 40
    shown = [model.index(r, 0).data() for r in range(4)]
    assert shown == made[::-1][:4]  # newest first
    assert model.index(0, 3).data() == "incomplete"
    view.scrollToBottom()
    assert model.index(39, 0).data(REFERENCE_ROLE) == made[0]
    assert len(source.read) < 40  # the middle was never read
    assert len(set(source.read)) == len(source.read)  # and nothing twice


def test_search_status_filter_and_sorting(qtbot, qtmodeltester, ws):
    made = [ws.cases.new().reference for _ in range(6)]
    ws.cases.set_status(made[0], "closed")
    page = CaseListPage(ws)
    qtbot.addWidget(page)
    qtmodeltester.check(page.model)  # and keeps checking every change below
    page.show()
    assert page.count.text() == "5 cases"  # open cases by default
    qtbot.keyClicks(page.search, made[3][-4:].lower())
    assert page.count.text() == "1 case"
    assert page.table.verticalHeader().count() == 1  # the view follows
    assert page.current_reference() == made[3]
    page.search.clear()
    page.status_filter.setCurrentIndex(page.status_filter.findData("closed"))
    assert page.count.text() == "1 case"
    assert page.current_reference() == made[0]
    page.status_filter.setCurrentIndex(page.status_filter.findData(None))
    assert page.count.text() == "6 cases"
    header = page.table.horizontalHeader()
    selected = page.current_reference()
    centre = QPoint(header.sectionViewportPosition(0) + header.sectionSize(0) // 2,
                    header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # "Reference"
    order = [page.model.index(r, 0).data() for r in range(6)]
    assert order in (sorted(made), sorted(made, reverse=True))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert [page.model.index(r, 0).data() for r in range(6)] == order[::-1]
    assert page.current_reference() == selected  # sorting keeps the selected case


def test_closing_a_case_moves_to_the_next_and_enter_opens(qtbot, ws):
    made = [ws.cases.new().reference for _ in range(3)]
    page = CaseListPage(ws)
    qtbot.addWidget(page)
    page.show()
    assert page.select_reference(made[1])
    click(qtbot, page.status_button)  # "Close case"
    assert ws.queries.find(made[1]).status == "closed"
    assert page.count.text() == "2 cases"
    assert page.current_reference() == made[0]  # the next one down, newest first
    page.table.setFocus()
    with qtbot.waitSignal(page.open_case) as opened:
        QTest.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [made[0]]
    assert not page.select_reference(made[1])  # not shown under "Open"


def test_an_empty_list_says_how_to_start_and_asks_for_the_workers_details(qtbot, ws):
    page = CaseListPage(ws)
    qtbot.addWidget(page)
    page.show()
    assert "New case" in page.count.text()  # not just "0 cases"
    assert page.profile_hint.isVisible()
    with qtbot.waitSignal(page.open_settings):
        click(qtbot, page.profile_button)
    ws.settings.set_profile(first_name="Sam", last_name="Worker", role="Outreach worker",
                   phone="+44 20 7946 0000", email="sam@example.org",
                   organisation="The Salvation Army")
    page.update_profile_hint()
    assert not page.profile_hint.isVisible()
    ws.cases.new()
    page.reload()
    qtbot.keyClicks(page.search, "no such case")
    assert "No cases match" in page.count.text()


def test_add_your_details_opens_settings_at_the_first_empty_detail(qtbot, unlocked):
    window = unlocked.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    click(qtbot, window.cases.profile_button)
    dialog = window.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.first_name)
    dialog.close()
    unlocked.ws.settings.set_profile(first_name="Sam", last_name="Worker")
    click(qtbot, window.cases.profile_button)
    dialog = window.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    qtbot.waitUntil(lambda: dialog.first_name.text() == "Sam")
    assert dialog.focusWidget() is dialog.role  # focus the dialog gives when it is active

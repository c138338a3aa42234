"""The case list's queries: search, status filter and every sort order, answered by the store."""

from __future__ import annotations

import pytest

from firstcontact.app.case_listing import CaseQuery
from firstcontact.app.workspace import Workspace
from tests.conftest import PASSPHRASE


@pytest.fixture
def ws(data_dir):
    workspace = Workspace.create(data_dir, PASSPHRASE)
    yield workspace
    workspace.close()


def refs(ws: Workspace, query: CaseQuery) -> list[str]:
    return [r.reference for r in ws.queries.rows(ws.queries.ids(query))]


@pytest.fixture
def cases(ws):
    """Five cases, oldest first: two untouched, then communication, age (a child) and account
    reached; the second is closed."""
    made = [ws.cases.new().reference for _ in range(5)]
    ws.cases.answer(made[2], "fc-language", "Tigrinya")
    ws.cases.answer(made[3], "pv-under-age", "yes")
    ws.cases.answer(made[4], "fc-own-words", "Worked in a car wash without pay.")
    ws.cases.set_status(made[1], "closed")
    return made


def test_newest_first_and_the_status_filter(ws, cases):
    assert refs(ws, CaseQuery()) == cases[::-1]
    assert refs(ws, CaseQuery(status="open")) == [cases[4], cases[3], cases[2], cases[0]]
    assert refs(ws, CaseQuery(status="closed")) == [cases[1]]


def test_search_matches_reference_in_any_case_date_and_stage_title(ws, cases):
    target = cases[3]
    assert refs(ws, CaseQuery(text=target[-4:].lower())) == [target]
    today = ws.queries.rows([ws.queries.find(target).id])[0].created_at[:10]
    assert set(refs(ws, CaseQuery(text=today))) == set(cases)
    # the titles as shown: "Age and safeguarding", "Listening to the account"
    assert refs(ws, CaseQuery(text="safeguard")) == [cases[3]]
    assert refs(ws, CaseQuery(text="  LISTENING ")) == [cases[4]]
    assert refs(ws, CaseQuery(text="%")) == []  # wildcards are text, not patterns
    assert refs(ws, CaseQuery(text="_")) == []
    assert refs(ws, CaseQuery(text="safeguard", status="closed")) == []


def test_sorts_by_reference_stage_status_and_completeness(ws, cases):
    assert refs(ws, CaseQuery(sort="reference", descending=False)) == sorted(cases)
    assert refs(ws, CaseQuery(sort="reference")) == sorted(cases, reverse=True)
    # stages in interview order, not alphabetical ("account" comes after "age"); ties newest
    # first; cases with no stage yet first when ascending
    assert refs(ws, CaseQuery(sort="stage", descending=False)) == \
        [cases[1], cases[0], cases[2], cases[3], cases[4]]
    assert refs(ws, CaseQuery(sort="status", descending=False))[0] == cases[1]  # closed
    # a child (cases[3]) is not a Duty to Notify case: "refused" sorts after "incomplete"
    by_dtn = ws.queries.rows(ws.queries.ids(CaseQuery(sort="dest:dtn", descending=False)))
    assert [r.completeness["dtn"] for r in by_dtn] == ["incomplete"] * 4 + ["refused"]
    assert by_dtn[-1].reference == cases[3]


def test_rows_come_back_in_the_order_asked_and_deleted_cases_are_left_out(ws, cases):
    ids = [ws.queries.find(r).id for r in cases]
    assert [r.reference for r in ws.queries.rows([ids[3], ids[0], ids[4]])] == \
        [cases[3], cases[0], cases[4]]
    ws.cases.delete(cases[0])
    assert [r.reference for r in ws.queries.rows(ids)] == cases[1:]
    assert cases[0] not in refs(ws, CaseQuery())


def test_an_unknown_sort_is_a_programming_error(ws, cases):
    with pytest.raises(ValueError, match="unknown sort key"):
        ws.queries.ids(CaseQuery(sort="colour"))

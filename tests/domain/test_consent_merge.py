"""Two versions of a consent history made one: nothing recorded in either is lost, and a
person's "no" in either version stands whatever the other recorded later."""

from __future__ import annotations

from firstcontact.domain.case import ConsentRecord
from firstcontact.domain.consent_merge import current, merge_histories


def rec(dest: str, state: str, at: str) -> ConsentRecord:
    return ConsentRecord(dest, state, "Ana", "English", recorded_at=at)  # type: ignore[arg-type]


GIVEN = rec("nrm", "given", "2026-03-01T10:00:00Z")
WITHDRAWN = rec("nrm", "withdrawn", "2026-03-02T10:00:00Z")
GIVEN_AGAIN_ELSEWHERE = rec("nrm", "given", "2026-03-03T10:00:00Z")
DTN = rec("dtn", "given", "2026-03-01T11:00:00Z")


def test_the_union_keeps_every_record_once_oldest_first() -> None:
    merged = merge_histories([GIVEN, DTN], [GIVEN, WITHDRAWN])
    assert merged == (GIVEN, DTN, WITHDRAWN)
    assert current(merged)["nrm"].state == "withdrawn"


def test_a_withdrawal_in_one_version_survives_a_later_yes_in_the_other() -> None:
    # a restored backup went on with the old "given"; the other version holds the withdrawal
    merged = merge_histories([GIVEN, WITHDRAWN], [GIVEN, GIVEN_AGAIN_ELSEWHERE])
    assert set(merged) == {GIVEN, WITHDRAWN, GIVEN_AGAIN_ELSEWHERE}
    assert current(merged)["nrm"] == WITHDRAWN
    assert current(merge_histories([GIVEN, GIVEN_AGAIN_ELSEWHERE], [GIVEN, WITHDRAWN]))[
        "nrm"] == WITHDRAWN


def test_without_a_refusal_the_latest_decision_stands() -> None:
    later = rec("nrm", "given", "2026-03-05T10:00:00Z")
    assert current(merge_histories([GIVEN], [GIVEN, later]))["nrm"] == later

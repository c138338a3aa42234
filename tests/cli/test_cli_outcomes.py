"""After the referral from the command line: the NRM reference and decisions as answers, the
list's reminders ("Decision due", "Follow-up overdue"), and consent points in the case file."""

from __future__ import annotations

import datetime as dt
import json


def test_case_list_says_what_is_due(cli):
    waiting = cli("case", "new")[1].strip()
    for field, value in (("pv-under-age", "yes"), ("fc-nrm-reference", "NRM-26-7"),
                         ("fc-rg-date", "2026-11-20")):
        assert cli("case", "answer", waiting, field, value)[0] == 0
    late = cli("case", "new")[1].strip()
    last_week = (dt.date.today() - dt.timedelta(days=7)).isoformat()
    assert cli("case", "answer", late, "fc-follow-up-date", last_week)[0] == 0
    code, out, _ = cli("case", "list")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "[Decision due]" in lines[waiting]
    assert "[Follow-up overdue (due" in lines[late]
    rows = {r["reference"]: r for r in json.loads(cli("case", "list", "--json")[1])}
    assert rows[waiting]["decision_due"] is True and rows[waiting]["reminders"] == ["Decision due"]
    assert rows[late]["follow_up_due"] == last_week
    # the conclusive grounds decision arrives: nothing is due any more
    assert cli("case", "answer", waiting, "fc-cg-date", "2027-02-01")[0] == 0
    rows = {r["reference"]: r for r in json.loads(cli("case", "list", "--json")[1])}
    assert rows[waiting]["reminders"] == []
    # a closed case reminds of nothing
    assert cli("case", "close", late)[0] == 0
    rows = {r["reference"]: r for r in json.loads(cli("case", "list", "--json")[1])}
    assert rows[late]["reminders"] == []


def test_consent_points_travel_with_the_case_file(cli, tmp_path):
    ref = cli("case", "new")[1].strip()
    points = [a for p in ("what", "who-decides", "support", "not-permission", "police",
                          "choice") for a in ("--point", p)]
    assert cli("consent", "record", ref, "--for", "nrm", "--given", "yes", "--explained-by",
               "Sam", "--language", "English", *points)[0] == 0
    doc = json.loads(cli("case", "export", ref)[1])
    assert doc["consents"][0]["explained_points"][0] == "what"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc), "utf-8")
    copy = cli("case", "import", str(path))[1].strip()
    shown = json.loads(cli("case", "show", copy, "--json")[1])
    assert len(shown["consent_history"][0]["explained_points"]) == 6
    doc["consents"][0]["explained_points"] = ["what", "nonsense"]
    path.write_text(json.dumps(doc), "utf-8")
    code, _, err = cli("case", "import", str(path))
    assert code == 1 and "unknown point" in err

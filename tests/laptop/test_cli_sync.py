"""From the command line against a real hub: enrol, push, and the hub holds each revision of
each case exactly once, as ciphertext only; the case list says where each case stands."""

from __future__ import annotations

import json

import httpx

from firstcontact.sync.envelope import open_envelope
from firstcontact.sync.keys import verify_key_from_bytes
from firstcontact.sync.wire import b64d
from tests.hub.support import Hub, enrol_device

CANARY = "Philippa-Oyelaran-CANARY-5512 M14 9PL"


def enrol(cli, hub: Hub) -> str:
    code, out, err = cli("sync", "enrol", hub.url, hub.issue_code(), "--yes")
    assert code == 0, err
    return out


def as_json(cli, *argv: str):
    code, out, err = cli(*argv, "--json")
    assert code == 0, err
    return json.loads(out)


def row_of(cli, ref: str) -> dict:
    return next(r for r in as_json(cli, "case", "list") if r["reference"] == ref)


def test_enrol_push_and_the_hub_holds_each_revision_once(cli, hub: Hub):
    ref = cli("case", "new")[1].strip()
    assert cli("case", "answer", ref, "fc-own-words", f"I am {CANARY}")[0] == 0
    assert cli("case", "note", ref, f"Met {CANARY} at the day centre")[0] == 0

    # Not set up: nothing about sync pretends to work.
    assert row_of(cli, ref)["sync_state"] == "local-only"
    assert row_of(cli, ref)["sync_words"] == "local only"
    assert as_json(cli, "sync", "status")["enrolled"] is False
    code, _out, err = cli("sync")
    assert code == 1 and "not set up" in err and "Traceback" not in err

    out = enrol(cli, hub)
    assert hub.org_key().public.fingerprint() in out  # shown to compare with the IT lead's
    status = as_json(cli, "sync", "status")
    assert status["enrolled"] and status["hub_url"] == hub.url
    assert status["cases"]["pending"] == 1
    assert row_of(cli, ref)["sync_state"] == "pending"

    assert as_json(cli, "sync") == {"pushed": 1, "duplicates": 0, "pending": 0,
                                    "quarantined": 0}
    row = row_of(cli, ref)
    assert row["sync_state"] == "synced" and row["sync_words"].startswith("synced at ")
    detail = as_json(cli, "case", "show", ref)
    first = detail["sync"]["revision"]
    assert detail["sync"]["acknowledged_revision"] == first
    device_id, case_id = status["device_id"], row["case_id"]
    assert hub.pairs(device_id) == {(case_id, first): 1}
    _code, human, _err = cli("case", "list")
    assert "[synced at " in human

    # A change is a new revision: pending, then pushed once; nothing is pushed twice.
    assert cli("case", "note", ref, "Second visit")[0] == 0
    assert row_of(cli, ref)["sync_state"] == "pending"
    assert as_json(cli, "case", "show", ref)["sync"]["revision"] == first + 1
    assert as_json(cli, "sync")["pushed"] == 1
    assert as_json(cli, "sync") == {"pushed": 0, "duplicates": 0, "pending": 0,
                                    "quarantined": 0}
    assert hub.pairs(device_id) == {(case_id, first): 1, (case_id, first + 1): 1}
    status = as_json(cli, "sync", "status")
    assert status["cases"]["synced"] == 1 and status["last_sync_at"]
    assert status["envelopes"]["acknowledged"] == 2

    # What the hub holds is the case's document, sealed: the organisation key opens it ...
    supervisor = enrol_device(hub, role="supervisor")
    feed = httpx.get(hub.url + "/v1/feed", params={"after": 0, "limit": 500},
                     headers={"Authorization": f"Bearer {supervisor.enrolment.token}"}).json()
    mine = [e for e in feed["envelopes"] if e["device_id"] == device_id]
    opened = [open_envelope(b64d(e["envelope"]), hub.org_key(),
                            verify_key_from_bytes(b64d(e["verify_key"]))) for e in mine]
    newest = json.loads(max(opened, key=lambda o: o.header.rev).plaintext)
    assert newest["format"] == "firstcontact-case" and newest["reference"] == ref
    assert newest["answers"]["fc-own-words"] == f"I am {CANARY}"
    assert [n["text"] for n in newest["notes"]][-1] == "Second visit"
    assert [o.header.base_rev for o in sorted(opened, key=lambda o: o.header.rev)] == [0, first]
    # ... and the hub's own files and log hold no trace of its content.
    places = {p.name: p.read_bytes() for p in hub.data_dir.iterdir() if p.is_file()}
    places["log"] = hub.log_path.read_bytes()
    for name, content in places.items():
        for needle in (CANARY, CANARY.lower(), "Second visit", ref):
            assert needle.encode() not in content, (name, needle)


def test_enrol_without_a_terminal_needs_yes_and_keeps_nothing(cli, hub: Hub):
    code, out, err = cli("sync", "enrol", hub.url, hub.issue_code())
    assert code == 1 and "--yes" in err
    assert hub.org_key().public.fingerprint() in out  # said before the refusal
    assert as_json(cli, "sync", "status")["enrolled"] is False
    events = [e["event"] for e in as_json(cli, "audit")]
    assert "sync-enrol-declined" in events and "sync-enrolled" not in events


def test_a_wrong_code_or_no_hub_is_one_line_and_exit_1(cli, hub: Hub):
    code, _out, err = cli("sync", "enrol", hub.url, "ABCD-EFGH-JKMN-PQRS", "--yes")
    assert code == 1 and err.count("\n") == 1 and "code" in err
    code, _out, err = cli("sync", "enrol", "ftp://hub.example.org", "ABCD", "--yes")
    assert code == 1 and "https://" in err
    code, _out, err = cli("sync", "enrol", "http://127.0.0.1:9", hub.issue_code(), "--yes")
    assert code == 1 and "could not be reached" in err and "Traceback" not in err
    enrol(cli, hub)
    code, _out, err = cli("sync", "enrol", hub.url, hub.issue_code(), "--yes")
    assert code == 1 and "already enrolled" in err


def test_case_delete_refuses_unsynced_changes_until_asked(cli, hub: Hub):
    enrol(cli, hub)
    ref = cli("case", "new")[1].strip()
    code, _out, err = cli("case", "delete", ref, "--yes")
    assert code == 4 and "not acknowledged" in err and "--discard-unsynced" in err
    assert row_of(cli, ref)["sync_state"] == "pending"  # still there
    assert as_json(cli, "sync")["pushed"] == 1
    assert cli("case", "delete", ref, "--yes")[0] == 0  # the hub has it all now
    other = cli("case", "new")[1].strip()
    code, _out, err = cli("case", "delete", other, "--yes", "--discard-unsynced")
    assert code == 0, err
    details = [e["detail"] for e in as_json(cli, "audit") if e["event"] == "deleted"]
    assert details == [None, "unsynced-discarded revision=1 acknowledged=0"]

"""A hub, a worker's laptop and a supervisor's laptop (three data directories) from the command
line: push → pull → review → sign-off → the worker sees it → the supervisor exports; a tampered
envelope refused and never stored; the offline organisation key still opens everything."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select, update

from firstcontact.cli.main import main
from firstcontact.hub.models import envelopes
from firstcontact.sync.envelope import open_envelope
from firstcontact.sync.keys import verify_key_from_bytes
from firstcontact.sync.wire import b64d
from tests.cli.test_cli_packs import ADULT, CANARY, fill
from tests.conftest import PASSPHRASE
from tests.hub.support import ORG_PASSPHRASE, Hub, serving
from tests.hub.test_supervisors import audit_actions, hub_cli


class Laptop:
    """One laptop's data directory, driven through the command line."""

    def __init__(self, data_dir: Path, capsys: pytest.CaptureFixture[str], *,
                 init: bool = True) -> None:
        self.data_dir = data_dir
        self._capsys = capsys
        if init:
            data_dir.mkdir(mode=0o700)
            assert self("init")[0] == 0

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        os.environ["FIRSTCONTACT_PASSPHRASE"] = PASSPHRASE
        try:
            code = main(["--data-dir", str(self.data_dir), *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            del os.environ["FIRSTCONTACT_PASSPHRASE"]
        out, err = self._capsys.readouterr()
        return code, out, err

    def json(self, *argv: str):
        code, out, err = self(*argv, "--json")
        assert code == 0, err
        return json.loads(out)

    def profile(self, first: str) -> None:
        code, _out, err = self("profile", "set", "--first-name", first, "--last-name", "Reyes",
                               "--role", "Outreach worker", "--phone", "+44 20 7946 0000",
                               "--email", f"{first.lower()}@example.org", "--organisation",
                               "The Salvation Army", "--nation", "england",
                               "--public-authority", "local-authority")
        assert code == 0, err


@pytest.fixture
def laptops(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch):
    monkeypatch.delenv("FIRSTCONTACT_PASSPHRASE", raising=False)
    return lambda name, init=True: Laptop(tmp_path / name, capsys, init=init)


def enrol_worker(hub: Hub, laptop: Laptop) -> None:
    code, _out, err = laptop("sync", "enrol", hub.url, hub.issue_code(), "--yes")
    assert code == 0, err


def enrol_supervisor(hub: Hub, laptop: Laptop, capsys) -> None:
    os.environ["FIRSTCONTACT_ORG_PASSPHRASE"] = ORG_PASSPHRASE
    try:
        code, out, err = hub_cli(hub, "enrol", "--worker", "Sam Supervisor", "--role",
                                 "supervisor", "--org-key", str(hub.org_key_path))
    finally:
        del os.environ["FIRSTCONTACT_ORG_PASSPHRASE"]
    assert code == 0, err
    one_time = out.strip().splitlines()[-1]
    code, out, err = laptop("sync", "enrol", hub.url, one_time, "--yes")
    assert code == 0, err
    assert laptop.json("sync", "status")["role"] == "supervisor"


def nrm_ready_case(worker: Laptop) -> str:
    worker.profile("Ana")
    return fill(worker.data_dir, ADULT, {"nrm": "given"})


def test_push_pull_review_sign_off_the_worker_sees_it_and_the_supervisor_exports(
        hub: Hub, laptops, capsys, tmp_path: Path) -> None:
    worker, supervisor = laptops("worker"), laptops("supervisor")
    enrol_worker(hub, worker)
    ref = nrm_ready_case(worker)
    assert worker.json("sync")["pushed"] == 1

    enrol_supervisor(hub, supervisor, capsys)
    pulled = supervisor.json("sync", "pull")
    assert pulled["kept"] == 1 and pulled["refused"] == 0
    revision = worker.json("case", "show", ref)["sync"]["revision"]
    assert [r for r in supervisor.json("review", "list") if r["reference"] == ref] == [
        {"reference": ref, "owner": "Test Worker", "revision": revision, "state": "for-review"}]
    # The copy is the worker's case, read in the supervisor's own store, and read-only there.
    shown = supervisor.json("review", "show", ref)
    answers = {a["field_id"]: a["value"] for s in shown["case"]["stages"] for st in s["steps"]
               for a in st["answers"]}
    assert answers["pv-name-first-name"] == CANARY
    code, _out, err = supervisor("case", "answer", ref, "fc-own-words", "changed")
    assert code == 1 and "read-only" in err and "Traceback" not in err
    assert supervisor.json("sync", "pull")["known"] == 0  # nothing new, nothing twice
    assert "feed-read" in [a for a, _d in audit_actions(hub)]  # the hub logs every fetch

    code, out, err = supervisor("review", "sign-off", ref, "--note", "Well documented")
    assert code == 0 and "signed off by Sam Supervisor" in out, err
    assert [r["state"] for r in supervisor.json("review", "list")
            if r["reference"] == ref] == ["signed-off"]
    assert supervisor.json("sync", "pull")["records_sent"] == 1

    # The worker's next sync brings the sign-off: on the case and as a badge in the list.
    code, out, err = worker("sync")
    assert code == 0 and "1 review from your supervisor" in out, err
    reviews = worker.json("case", "show", ref)["reviews"]
    assert [(r["kind"], r["note"], r["author"]) for r in reviews] == [
        ("signed-off", "Well documented", "Sam Supervisor")]
    row = next(r for r in worker.json("case", "list") if r["reference"] == ref)
    assert row["review_state"] == "signed-off" and row["review_words"] == "signed off"
    assert "[signed off]" in worker("case", "list")[1]

    # The supervisor exports the NRM pack from the pulled copy, under the same rules.
    (tmp_path / "pw").write_text("pdf-password-1\n")
    out_file = tmp_path / "nrm.pdf"
    code, _out, _err = supervisor("pack", "export", ref, "--to", "nrm", "--out", str(out_file),
                                  "--password-file", str(tmp_path / "pw"))
    assert code == 3 and not out_file.exists()  # the supervisor's own details are missing
    supervisor.profile("Sam")
    code, out, err = supervisor("pack", "export", ref, "--to", "nrm", "--out", str(out_file),
                                "--password-file", str(tmp_path / "pw"))
    assert code == 0, err
    sha = hashlib.sha256(out_file.read_bytes()).hexdigest()
    audit = supervisor.json("audit", ref)
    assert [e["detail"] for e in audit if e["event"] == "exported"] == [
        f"destination=nrm sha256={sha}"]
    assert supervisor.json("sync", "pull")["records_sent"] == 1
    reported = [d for a, d in audit_actions(hub) if a == "case-exported"]
    assert [(d["destination"], d["sha256"]) for d in reported] == [("nrm", sha)]
    assert worker.json("sync")["pushed"] == 0
    shown = worker("case", "show", ref)[1]
    assert "exported by supervisor on " in shown and "Well documented" in shown

    # The supervisor's laptop is lost: the offline organisation key still opens every envelope.
    shutil.rmtree(supervisor.data_dir)
    feed_token = enrol_token(hub)
    feed = httpx.get(hub.url + "/v1/feed", params={"after": 0, "limit": 500},
                     headers={"Authorization": f"Bearer {feed_token}"}).json()["envelopes"]
    org = hub.org_key()
    opened = [open_envelope(b64d(e["envelope"]), org, verify_key_from_bytes(
        b64d(e["verify_key"]))).plaintext for e in feed]
    assert any(CANARY.encode() in p for p in opened)


def enrol_token(hub: Hub) -> str:
    from tests.hub.support import enrol_device

    return enrol_device(hub, role="supervisor").enrolment.token


def test_a_tampered_envelope_is_refused_reported_and_never_stored(laptops, capsys,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "own-hub").mkdir()
    with serving(tmp_path / "own-hub") as hub:  # the tampered envelope stays on this hub only
        tampered_envelope(hub, laptops, capsys)


def tampered_envelope(hub: Hub, laptops, capsys) -> None:
    worker, supervisor = laptops("worker"), laptops("supervisor")
    enrol_worker(hub, worker)
    ref = worker("case", "new")[1].strip()
    assert worker("case", "answer", ref, "fc-own-words", f"I am {CANARY}")[0] == 0
    assert worker.json("sync")["pushed"] == 1
    device_id = worker.json("sync", "status")["device_id"]
    engine = create_engine(hub.database_url)
    with engine.begin() as conn:
        body = bytes(conn.execute(select(envelopes.c.body)
                                  .where(envelopes.c.device_id == device_id)).scalar_one())
        tampered = body[:-100] + bytes([body[-100] ^ 1]) + body[-99:]
        conn.execute(update(envelopes).where(envelopes.c.device_id == device_id)
                     .values(body=tampered))
    engine.dispose()
    enrol_supervisor(hub, supervisor, capsys)
    code, out, err = supervisor("sync", "pull")
    assert code == 0 and "1 refused" in out, err
    assert ref not in [r["reference"] for r in supervisor.json("review", "list")]
    assert supervisor("case", "show", ref)[0] == 1
    assert any(e["event"] == "pull-refused" for e in supervisor.json("audit"))


def test_a_worker_cannot_pull_or_review(hub: Hub, laptops) -> None:
    worker = laptops("worker")
    enrol_worker(hub, worker)
    code, _out, err = worker("sync", "pull")
    assert code == 1 and "supervisor" in err
    code, _out, err = worker("review", "list")
    assert code == 1 and "supervisor" in err


def test_a_revoked_laptop_stops_and_says_why_and_a_wipe_order_erases_it(hub: Hub, laptops,
                                                                       monkeypatch) -> None:
    from firstcontact.app.workspace import Workspace

    kept, wiped = laptops("kept"), laptops("wiped")
    for laptop in (kept, wiped):
        enrol_worker(hub, laptop)
        laptop("case", "new")
        assert laptop.json("sync")["pushed"] == 1
    kept_id = kept.json("sync", "status")["device_id"]
    wiped_id = wiped.json("sync", "status")["device_id"]

    assert hub_cli(hub, "revoke", kept_id)[0] == 0
    ref = kept("case", "new")[1].strip()
    code, _out, err = kept("sync")
    assert code == 1 and "revoked this laptop" in err and "will not try again" in err
    assert "Traceback" not in err
    status = kept.json("sync", "status")
    assert status["revoked"] == "device-revoked" and "revoked" in status["stopped_words"]
    # The laptop keeps its cases and does not call the hub again.
    with monkeypatch.context() as m:
        calls: list[str] = []
        m.setattr(httpx.Client, "request", lambda _self, *a, **k: calls.append(a[0]))
        code, _out, err = kept("sync")
    assert code == 1 and "revoked this laptop" in err and calls == []
    assert kept("case", "show", ref)[0] == 0

    assert hub_cli(hub, "revoke", wiped_id, "--wipe")[0] == 0
    retired = laptops("retired")
    enrol_worker(hub, retired)
    retired("case", "new")
    assert hub_cli(hub, "retire", retired.json("sync", "status")["device_id"], "--days",
                   "0")[0] == 0
    code, _out, err = retired("sync")
    assert code == 1 and "retired this laptop" in err
    assert retired.json("sync", "status")["revoked"] == "device-retired"
    code, _out, err = wiped("sync")
    assert code == 1 and "erased" in err and "Traceback" not in err
    assert not Workspace.exists(wiped.data_dir)
    assert "wipe-delivered" in [a for a, _d in audit_actions(hub)]


def test_a_restored_backup_clashes_the_supervisor_decides_and_a_withdrawal_survives(
        hub: Hub, laptops, capsys, tmp_path: Path) -> None:
    worker, supervisor = laptops("worker"), laptops("supervisor")
    enrol_worker(hub, worker)
    ref = nrm_ready_case(worker)
    assert worker.json("sync")["pushed"] == 1
    backup = tmp_path / "before.fcbackup"
    assert worker("backup", "--out", str(backup))[0] == 0
    # After the backup: the person withdraws consent to the NRM referral.
    code, _out, err = worker("consent", "withdraw", ref, "--for", "nrm", "--taken-by", "Ana",
                             "--language", "English")
    assert code == 0, err
    assert worker.json("sync")["pushed"] == 1
    # The laptop is restored from the backup (the withdrawal is not in it) and goes on.
    restored = laptops("restored", init=False)
    code, _out, err = restored("restore", str(backup))
    assert code == 0, err
    assert restored("case", "note", ref, "Second visit after the restore")[0] == 0
    assert restored.json("sync")["pushed"] == 1  # kept by the hub, flagged: never silent

    enrol_supervisor(hub, supervisor, capsys)
    pulled = supervisor.json("sync", "pull")
    assert pulled["parallel"] == 1 and pulled["refused"] == 0
    row = next(r for r in supervisor.json("review", "list") if r["reference"] == ref)
    assert row["state"] == "conflict"
    shown = supervisor.json("review", "show", ref)
    assert shown["parallel"]["flag"] == "revision-clash"
    assert {"consent:nrm", "notes"} <= {d["item"] for d in shown["differences"]}
    # Meanwhile the standing copy already carries the withdrawal.
    consents = {c["destination"]: c["state"] for c in shown["case"]["consents"]}
    assert consents["nrm"] == "withdrawn"
    code, _out, err = supervisor("review", "sign-off", ref)
    assert code == 1 and "choose the one that stands" in err

    # The supervisor keeps the restored laptop's version: the withdrawal still stands.
    code, out, err = supervisor("review", "resolve", ref, "--keep", "other", "--note",
                                "The later visit is the record")
    assert code == 0 and "two versions compared by Sam Supervisor" in out, err
    shown = supervisor.json("review", "show", ref)
    assert shown["parallel"] is None and shown["state"] == "for-review"
    assert {c["destination"]: c["state"] for c in shown["case"]["consents"]}["nrm"] == \
        "withdrawn"
    assert any(n["text"] == "Second visit after the restore" for n in shown["case"]["notes"])
    code, _out, err = supervisor("pack", "check", ref, "--to", "nrm")
    assert code == 4, err  # a withdrawn consent refuses the NRM pack, as on the worker's laptop
    assert supervisor.json("sync", "pull")["records_sent"] == 1
    assert restored("sync")[0] == 0
    kinds = [r["kind"] for r in restored.json("case", "show", ref)["reviews"]]
    assert kinds == ["resolved"]


def test_a_supervisor_hands_a_case_over_and_the_old_laptop_stops_pushing_it(
        hub: Hub, laptops, capsys) -> None:
    old, new, supervisor = laptops("old"), laptops("new"), laptops("supervisor")
    enrol_worker(hub, old)
    enrol_worker(hub, new)
    ref = old("case", "new")[1].strip()
    assert old("case", "note", ref, "First visit")[0] == 0
    assert old.json("sync")["pushed"] == 1
    enrol_supervisor(hub, supervisor, capsys)
    assert supervisor.json("sync", "pull")["kept"] >= 1
    new_id = new.json("sync", "status")["device_id"]
    code, out, err = supervisor("review", "hand-over", ref, "--to", new_id[:8], "--note",
                                "Ana is on leave")
    assert code == 0 and "Handed over" in out, err
    moved = [d for a, d in audit_actions(hub) if a == "case-handed-over"]
    assert moved[-1]["to_device"] == new_id
    assert "review-handed-over" in [e["event"] for e in supervisor.json("audit", ref)]

    # The old laptop learns at its next sync: read-only, never pushed again.
    assert old.json("sync")["pushed"] == 0
    row = next(r for r in old.json("case", "list") if r["reference"] == ref)
    assert row["sync_state"] == "handed-over" and row["origin"] == "handed-over"
    code, _out, err = old("case", "note", ref, "A late note")
    assert code == 1 and "read-only" in err
    assert "handed-over" in [e["event"] for e in old.json("audit", ref)]
    # The new laptop owns it from the revision that stands, and goes on from there.
    assert new.json("sync")["pushed"] == 0
    notes = [n["text"] for n in new.json("case", "show", ref)["notes"]]
    assert notes == ["First visit"]
    assert "handed-in" in [e["event"] for e in new.json("audit", ref)]
    assert new("case", "note", ref, "Second visit, new worker")[0] == 0
    assert new.json("sync")["pushed"] == 1
    assert supervisor.json("sync", "pull")["kept"] == 1
    shown = supervisor.json("review", "show", ref)
    assert shown["owner"] == "Test Worker" and shown["revision"] == 3


def test_the_it_lead_removes_a_supervisors_copy_of_the_org_key_and_adds_it_back(
        hub: Hub, laptops, capsys) -> None:
    supervisor = laptops("supervisor")
    enrol_supervisor(hub, supervisor, capsys)
    assert supervisor("sync", "pull")[0] == 0  # leaves its wrapped copy on the hub
    device = supervisor.json("sync", "status")["device_id"]
    code, out, _err = hub_cli(hub, "org-key", "list")
    assert device in out
    assert hub_cli(hub, "org-key", "remove", device)[0] == 0
    code, _out, err = supervisor("sync", "pull")
    assert code == 1 and "removed this laptop's copy" in err and "Traceback" not in err
    code, _out, err = supervisor("sync", "pull")
    assert code == 1 and "no copy of the organisation key" in err
    os.environ["FIRSTCONTACT_ORG_PASSPHRASE"] = ORG_PASSPHRASE
    try:
        assert hub_cli(hub, "org-key", "add", device, "--org-key",
                       str(hub.org_key_path))[0] == 0
    finally:
        del os.environ["FIRSTCONTACT_ORG_PASSPHRASE"]
    code, _out, err = supervisor("sync", "pull")
    assert code == 0, err

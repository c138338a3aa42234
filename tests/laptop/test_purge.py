"""Purge after receipt: the organisation's setting, signed by the hub, erases a closed case
from the laptop once the hub's receipt for its latest revision is old enough — never a case
with a change the hub has not acknowledged; a content-free tombstone stays."""

from __future__ import annotations

import json

from firstcontact.app.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.hub.support import Hub
from tests.hub.test_supervisors import hub_cli

CANARY = "Purge-Canary-7731"


def test_a_closed_case_is_purged_after_receipt_but_never_an_unacknowledged_change(
        hub: Hub, tmp_path) -> None:
    data_dir = tmp_path / "laptop"
    data_dir.mkdir(mode=0o700)
    ws = Workspace.create(data_dir, PASSPHRASE)
    try:
        ws.sync.accept(ws.sync.enrol(hub.url, hub.issue_code()))
        done, changed, sealed_only, open_case = (ws.cases.new().reference for _ in range(4))
        for ref in (done, changed, sealed_only, open_case):
            ws.cases.add_note(ref, f"Met {CANARY}")
        for ref in (done, changed, sealed_only):
            ws.cases.set_status(ref, "closed")
        assert ws.sync.push(retries=2).purged == 0  # no setting yet: nothing is erased
        assert hub_cli(hub, "settings", "--purge-after", "30")[0] == 0
        assert ws.sync.push(retries=2).purged == 0  # the receipts are younger than 30 days
        assert ws.sync.purge_days() == 30

        assert hub_cli(hub, "settings", "--purge-after", "0")[0] == 0
        ws.cases.add_note(changed, "A change after the last sync")  # never sealed
        ws.cases.add_note(sealed_only, "Sealed, never acknowledged")
        ws.sync.seal_changes()
        ws.sync.receive(retries=2)  # the new setting arrives (signed by the hub), no push
        assert ws.sync.purge_days() == 0
        assert ws.sync.purge() == 1
        refs = {r.reference for r in ws.queries.list_cases()}
        assert done not in refs and {changed, sealed_only, open_case} <= refs
        tombstones = ws.sync.tombstones()
        assert [t.reference for t in tombstones] == [done]
        assert CANARY not in json.dumps([t.__dict__ for t in tombstones])
        events = [e.event for e in ws.queries.audit_events()]
        assert "purged" in events
        # Acknowledged now: the next sync erases them too (N = 0: after send).
        assert ws.sync.push(retries=2).purged == 2
        assert {r.reference for r in ws.queries.list_cases()} == {open_case}
        status = ws.sync.status()
        assert status.purge_after_days == 0 and status.purged == 3
    finally:
        ws.close()

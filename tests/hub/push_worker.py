"""A sync client in its own process, for the kill -9 test: pushes an outbox file and prints
its summary. Arguments: OUTBOX_FILE HUB_URL TOKEN HUB_KEY_BASE64."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from firstcontact.sync.backoff import Backoff
from firstcontact.sync.client import HubLink, SyncClient
from firstcontact.sync.wire import b64d
from tests.hub.file_outbox import FileOutbox


def main() -> None:
    outbox_path, url, token, hub_key = sys.argv[1:5]
    outbox = FileOutbox(Path(outbox_path))
    with SyncClient(HubLink(url, token, b64d(hub_key)), outbox, batch_count=10,
                    backoff=Backoff(base=0.01, cap=0.05)) as client:
        print(json.dumps(client.push().to_json()), flush=True)


if __name__ == "__main__":
    main()

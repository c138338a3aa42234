"""Subprocess for the key-change crash tests: changes the passphrase and dies (``os._exit``,
no clean-up, like a kill -9) at one point of the change.

Usage: python rotation_worker.py DATA_DIR OLD NEW STOP
STOP: "pending" (the key file holds both keys, the database is untouched), "midway" (the
re-encryption has begun, not committed), "rekeyed" (committed, the key file not yet settled).
Prints "FINISHED" if it was never stopped.
"""

import os
import sys
from pathlib import Path

from firstcontact.store import rotation
from firstcontact.store.facade import Store


def main() -> None:
    data_dir, old, new, stop = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    rekey = rotation.rekey_database

    def stopped_rekey(db_path, old_key, new_key, progress=None):
        if stop == "pending":
            os._exit(9)

        def midway(fraction: float) -> None:
            if stop == "midway" and 0 < fraction < 0.99:
                os._exit(9)  # the rekey thread dies with the process, mid-transaction

        rekey(db_path, old_key, new_key, midway)
        if stop == "rekeyed":
            os._exit(9)

    rotation.rekey_database = stopped_rekey
    rotation.POLL_SECONDS = 0.001  # progress reported often: "midway" is met before the commit
    store = Store.unlock(data_dir, old)
    store.change_passphrase(old, new)
    store.close()
    print("FINISHED", flush=True)


if __name__ == "__main__":
    main()

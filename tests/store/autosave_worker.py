"""Subprocess for the crash and disk-full tests: autosaves answers and acknowledges each one.

Usage: python autosave_worker.py DATA_DIR PASSPHRASE COUNT [FSIZE_LIMIT]
Prints "CASE <id>" then "ACK <n>" after each save returned (durable); "FAILED <kind>" when a
save is refused.
"""

import json
import resource
import signal
import sys
from pathlib import Path

from firstcontact.store.errors import StoreError
from firstcontact.store.facade import Store
from firstcontact.store.records import SummaryUpdate


def main() -> None:
    data_dir, passphrase, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = Store.unlock(data_dir, passphrase)
    case = store.get_case(store.list_summaries()[0].case_id)
    print(f"CASE {case.id}", flush=True)
    if len(sys.argv) > 4:  # a disk that fills up: writes beyond this size fail
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        limit = int(sys.argv[4])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    for n in range(1, count + 1):
        value = json.dumps(f"answer {n} " + "x" * (n % 50 if len(sys.argv) <= 4 else 4000))
        try:
            store.save_answer(case.id, f"fc-field-{n % 37}", value,
                              SummaryUpdate(stage_reached=f"s{n}"))
        except StoreError as exc:
            print(f"FAILED {type(exc).__name__}", flush=True)
            return
        print(f"ACK {n} {n % 37}", flush=True)


if __name__ == "__main__":
    main()

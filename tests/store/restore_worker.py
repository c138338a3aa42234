"""Subprocess for the interrupted-restore tests: restores a backup and dies (``os._exit``, like
a kill -9) before its N-th rename into the data directory.

Usage: python restore_worker.py BACKUP DATA_DIR PASSPHRASE N
"""

import os
import sys
from pathlib import Path

from firstcontact.store import lifecycle


def main() -> None:
    backup, data_dir, passphrase, stop = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], \
        int(sys.argv[4])
    renames = []
    real = os.replace

    def replace(src, dst):
        if Path(dst).parent == data_dir:  # a rename into the data directory
            if len(renames) == stop:
                os._exit(9)
            renames.append(dst)
        real(src, dst)

    os.replace = replace
    lifecycle.restore(backup, data_dir, passphrase=passphrase)
    print("FINISHED", flush=True)


if __name__ == "__main__":
    main()

"""Subprocess for the autosave soak: answers text fields of one case through the application
layer (validation, the case summary, the write: what the GUI's autosave does) and acknowledges
each answer once the call returned (durable).

Usage: python -m tests.soak.answer_worker DATA_DIR PASSPHRASE FIRST COUNT FIELD…
Prints "ACK <n> <field>" after answer n (n from FIRST) was saved.
"""

from __future__ import annotations

import sys
from pathlib import Path

from firstcontact.app.workspace import Workspace


def value(n: int) -> str:
    """Answer n's text: its number first, then some length that varies."""
    return f"answer {n} " + "typed words " * (n % 40)


def main() -> None:
    data_dir, passphrase = Path(sys.argv[1]), sys.argv[2]
    first, count, fields = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
    ws = Workspace.unlock(data_dir, passphrase)
    reference = ws.queries.list_cases()[0].reference
    for n in range(first, first + count):
        field = fields[n % len(fields)]
        ws.cases.answer(reference, field, value(n))
        print(f"ACK {n} {field}", flush=True)
    ws.close()


if __name__ == "__main__":
    main()

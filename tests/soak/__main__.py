"""`make soak`: the reliability suite at full size (brief §5), apart from the quick test run.

    python -m tests.soak [--autosaves N] [--round-trips N] [--sync-rounds N] [--seed S]

1. N autosaves (default 10,000) through the application layer, the process killed -9 at
   random points: every acknowledged answer present, both integrity checks ok, the case
   list's summary right;
2. N export/import round trips (default 1,000) of hostile text: unchanged, or refused with a
   message and nothing stored;
3. a long sync (default 60 rounds of 20 revisions) to a real hub through injected faults,
   client and hub kills: nothing twice on the hub, nothing acknowledged lost or sent again.

Prints what it tried and what it found; exits 1 if anything acknowledged was lost.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("FIRSTCONTACT_TEST_FAST_KDF", "1")  # unlocking is not what is soaked

from tests.soak import autosaves, round_trips, sync_faults


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soak",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--autosaves", type=int, default=10_000)
    parser.add_argument("--round-trips", type=int, default=1_000)
    parser.add_argument("--sync-rounds", type=int, default=60)
    parser.add_argument("--per-round", type=int, default=20)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args(argv)
    print(f"soak (seed {args.seed}: `--seed {args.seed}` repeats this run)", flush=True)
    failed: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)

    def verdict(part: str, found: str, problems: list[str], started: float) -> None:
        """What a part tried and found, then OK or the first problems."""
        say(f"   {found} — " + ("OK" if not problems else "WRONG: " + "; ".join(problems[:5]))
            + f" ({time.monotonic() - started:.0f} s)")
        if problems:
            failed.append(part)

    with tempfile.TemporaryDirectory(prefix="fc-soak-") as tmp:
        base = Path(tmp)
        started = time.monotonic()
        say(f"1. {args.autosaves} autosaves through the app, killed -9 at random points")
        saves = autosaves.run(base, args.autosaves, random.Random(args.seed), say)
        verdict("autosaves", f"{saves.acknowledged} acknowledged in {saves.kills} runs killed -9 "
                f"({saves.killed_mid_write} times a save beyond the last acknowledgement was "
                f"already durable); after every kill: every acknowledged answer present, "
                f"integrity_check and cipher_integrity_check ok, the summary right",
                saves.problems, started)

        started = time.monotonic()
        say(f"2. {args.round_trips} export/import round trips of hostile text")
        trips = round_trips.run(base, args.round_trips, random.Random(args.seed + 1), say)
        verdict("round trips", f"{trips.round_trips} cases exported to JSON and imported back "
                f"unchanged (texts up to {trips.longest} characters: control characters, bidi "
                f"overrides, emoji, many scripts, SQL- and format-looking strings); "
                f"{trips.refused} texts refused with a message and nothing stored",
                trips.problems, started)

        started = time.monotonic()
        say(f"3. a long sync: {args.sync_rounds} rounds of {args.per_round} revisions through "
            f"injected faults")
        sync = sync_faults.run(base, args.sync_rounds, args.per_round,
                               random.Random(args.seed + 2), say)
        faults = ", ".join(f"{kind} ×{n}" for kind, n in sorted(sync.faults.items()))
        verdict("sync", f"{sync.envelopes} envelopes in {sync.rounds} rounds through {faults}; "
                f"{sync.client_kills} client and {sync.hub_kills} hub kills -9 ({sync.gave_up} "
                f"pushes stopped while the hub was down, their revisions left pending); after "
                f"every round nothing twice on the hub and every revision acknowledged or "
                f"pending; at the end every revision on the hub exactly once and acknowledged; "
                f"acknowledged envelopes sent again: {sync.resent_after_ack}", sync.problems,
                started)
    print("soak: " + ("nothing acknowledged was lost" if not failed
                      else f"FAILED: {', '.join(failed)}"), flush=True)
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())

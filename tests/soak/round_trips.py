"""Export/import round trips of hostile text (brief §5.6 at full size): a case whose answers and
notes hold very long text, control characters, bidi overrides, emoji, scripts from the NRM
nationalities, SQL- and format-looking strings, is exported as the case JSON (text, as
`firstcontact case export` writes it) and imported as a new case (as `case import` does); the
new case must hold the same answers and notes. Unpaired surrogates must be refused with a
message and leave nothing behind."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from firstcontact.app.errors import AppError
from firstcontact.app.workspace import Workspace

PASSPHRASE = "soak passphrase for round trips"
TEXT_FIELDS = ("fc-own-words", "fc-needs", "what-were-they-required-to-do")
PIECES = ["\u202eevil\u202c", "\u2066isolate\u2069", "Robert'); DROP TABLE cases;--",
          "\x00\x01\x1b[31m", "\x7f\x85", "👩🏽‍⚕️🇪🇷", "ሰላም", "مرحبا بالعالم", "Đặng Thị",
          "Ţăran", "%s%n{0}{{}}", "\r\n\t", "\\u0000", "<script>x</script>", "1990-02-30",
          "'; --", "\ufeff", "\u200b\u200d", "ﷺ", "\U0001f9d1\u200d\U0001f91d\u200d\U0001f9d1"]


@dataclass
class Outcome:
    round_trips: int = 0
    refused: int = 0
    longest: int = 0
    problems: list[str] = field(default_factory=list)


def hostile(rng: random.Random) -> str:
    """Text a worker could paste: pieces of the above, random code points (no surrogates),
    sometimes very long."""
    parts = []
    for _ in range(rng.randint(1, 8)):
        roll = rng.random()
        if roll < 0.5:
            parts.append(rng.choice(PIECES))
        elif roll < 0.9:
            parts.append("".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0, 0x1f),
                                                 rng.randint(0xa0, 0xd7ff),
                                                 rng.randint(0xe000, 0x10ffff)]))
                                 for _ in range(rng.randint(1, 40))))
        else:
            parts.append("long " * rng.randint(500, 2900))
    return "".join(parts)


def _strip(text: str) -> bool:
    return bool(text.strip())


def run(base: Path, total: int, rng: random.Random, say: Callable[[str], None] = print) -> Outcome:
    data_dir = base / "round-trips"
    data_dir.mkdir(mode=0o700)
    ws = Workspace.create(data_dir, PASSPHRASE)
    outcome = Outcome()
    try:
        for i in range(total):
            case = ws.cases.new()
            if i % 10 == 9:  # an unpaired surrogate: refused, nothing stored
                bad = hostile(rng)[:20] + chr(rng.randint(0xD800, 0xDFFF))
                attempts = ((ws.cases.answer, (case.reference, TEXT_FIELDS[0], bad)),
                            (ws.cases.add_note, (case.reference, bad)))
                for command, arguments in attempts:
                    try:
                        command(*arguments)
                        outcome.problems.append(f"round {i}: an unpaired surrogate was stored")
                    except AppError as exc:
                        if not exc.message:
                            outcome.problems.append(f"round {i}: refused without a message")
                outcome.refused += 1
                data = ws._ctx.store.load_case(case.id)
                if data.answers or data.notes:
                    outcome.problems.append(f"round {i}: a refused text left something behind")
                continue
            texts = {}
            for name in TEXT_FIELDS:
                text = hostile(rng)
                try:
                    ws.cases.answer(case.reference, name, text)
                    texts[name] = text
                except AppError as exc:  # e.g. longer than the form allows: said, not stored
                    outcome.refused += 1
                    if not exc.message:
                        outcome.problems.append(f"round {i}: refused without a message")
            note = hostile(rng)
            if _strip(note):
                ws.cases.add_note(case.reference, note)
            exported = json.dumps(ws.queries.export_document(case.reference),
                                  ensure_ascii=False)
            copy = ws.cases.import_case(json.loads(exported))
            doc = ws.queries.export_document(copy.reference)
            if doc["answers"] != texts:
                outcome.problems.append(f"round {i}: answers changed on the way")
            if [n["text"] for n in doc["notes"]] != ([note] if _strip(note) else []):
                outcome.problems.append(f"round {i}: a note changed on the way")
            outcome.round_trips += 1
            outcome.longest = max([outcome.longest, *(len(t) for t in texts.values())])
            if outcome.problems:
                break
            if (i + 1) % 100 == 0:
                say(f"  {i + 1:>6} rounds: {outcome.round_trips} round trips, "
                    f"{outcome.refused} refusals")
    finally:
        ws.close()
    return outcome

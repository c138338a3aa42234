"""Babel extraction methods for the interview data (`babel.cfg`, `babel-survivor.cfg`): each
data file's texts with their message context (the id they belong to) and a translator's note
saying what the text is. They walk the loaded data exactly as the app translates it at run time
(`checklists/localize.py`), so the template and the lookups cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from firstcontact.checklists.loader import load_checklist
from firstcontact.checklists.localize import (
    letter_option_words,
    localized_checklist,
    localized_destinations,
    localized_survivor_texts,
)
from firstcontact.checklists.survivor import load_survivor_texts
from firstcontact.referral.loader import load_destinations

# (line, babel keyword, messages, translator comments): what an extraction method yields
Found = tuple[int, str, tuple[str, ...], list[str]]
CHECKLISTS = Path(__file__).parent


class _Recorder:
    """A translator that records what it is asked and changes nothing."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}

    def __call__(self, context: str, text: str, note: str) -> str:
        if text:
            self.seen.setdefault((context, text), note)
        return text


def _line(source: str, text: str) -> int:
    """The line the text starts on in the data file (0 when it is not written there as is)."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    at = source.find(first) if first else -1
    return source.count("\n", 0, at) + 1 if at >= 0 else 0


def _found(source: str, recorded: dict[tuple[str, str], str], keep: Any) -> Iterator[Found]:
    for (context, text), note in recorded.items():
        if keep(context):
            yield _line(source, text), "pgettext", (context, text), [f"Translators: {note}"]


def _read(fileobj: IO[bytes]) -> str:
    return fileobj.read().decode("utf-8")


def _here(fileobj: IO[bytes]) -> Path:
    """The data file's folder: its texts are read from the files being extracted (a copy of
    the project included), not from the installed package."""
    return Path(fileobj.name).resolve().parent


def _checklist_texts(directory: Path) -> dict[tuple[str, str], str]:
    recorder = _Recorder()
    localized_checklist(load_checklist(directory), recorder)
    return recorder.seen


def interview(fileobj: IO[bytes], _keywords: Any, _tags: Any, options: Any) -> Iterator[Found]:
    """`interview.toml`: stages, steps, scripts, fields, options, warnings, skip reasons, K
    practice notes."""
    yield from _found(_read(fileobj), _checklist_texts(_here(fileobj)),
                      lambda c: not c.startswith(("criterion ", "knowledge ", "evidence ")))


def criteria(fileobj: IO[bytes], _keywords: Any, _tags: Any, options: Any) -> Iterator[Found]:
    """`criteria.toml`: SFJ BE2's performance criteria and knowledge items."""
    yield from _found(_read(fileobj), _checklist_texts(_here(fileobj)),
                      lambda c: c.startswith(("criterion ", "knowledge ")))


def evidence(fileobj: IO[bytes], _keywords: Any, _tags: Any, options: Any) -> Iterator[Found]:
    """`evidence.toml`: what the record does not show yet, per criterion."""
    yield from _found(_read(fileobj), _checklist_texts(_here(fileobj)),
                      lambda c: c.startswith("evidence "))


def destinations(fileobj: IO[bytes], _keywords: Any, _tags: Any,
                 options: Any) -> Iterator[Found]:
    """`referral/destinations.toml`: destinations, pack sections, rules, annexes."""
    recorder = _Recorder()
    checklists = _here(fileobj).parent / CHECKLISTS.name  # referral/ beside checklists/
    localized_destinations(load_destinations(load_checklist(checklists),
                                             Path(fileobj.name)), recorder)
    yield from _found(_read(fileobj), recorder.seen, lambda _c: True)


def survivor(fileobj: IO[bytes], _keywords: Any, _tags: Any, options: Any) -> Iterator[Found]:
    """`survivor.toml` (the person's domain): the explanations, the letter, and the option
    labels the letter may show without words of its own."""
    checklist = load_checklist(_here(fileobj))
    texts = load_survivor_texts(checklist, _here(fileobj))
    recorder = _Recorder()
    localized_survivor_texts(texts, recorder)
    for value, label in letter_option_words(texts, checklist).items():
        recorder(f"option {value}", label, "an answer, in the letter")
    source = _read(fileobj)
    yield from _found(source, recorder.seen, lambda _c: True)
    one, many = texts.letter.history_count
    yield (_line(source, one), "npgettext", ("letter history", one, many),
           ["Translators: how often something happened to the record ({n}: how many times)"])

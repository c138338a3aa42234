"""No script, warning or text for the person promises what we cannot keep, or stacks several
questions in one (tests/fixtures/script_language.toml holds the phrases)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from firstcontact.checklists import load_checklist
from firstcontact.checklists.survivor import load_survivor_texts

RULES = tomllib.loads((Path(__file__).parents[1] / "fixtures" / "script_language.toml")
                      .read_text("utf-8"))
PROMISES = [re.compile(p) for p in RULES["promises"]]
STACKED = [re.compile(p) for p in RULES["stacked"]]
_QUESTION = re.compile(r"[^.?!:\"“”]*\?")


def problems(text: str) -> list[str]:
    """What is wrong with ``text``: each promise found, each stacked question."""
    lower = text.lower().replace("’", "'")
    found = [f"promise: {m.group(0)!r}" for p in PROMISES for m in [p.search(lower)] if m]
    for question in _QUESTION.findall(lower):
        if any(p.search(question) for p in STACKED):
            found.append(f"stacked question: {question.strip()!r}")
    return found


def every_text() -> Iterator[tuple[str, str]]:
    """(where, text) for every script, variant, warning, action, label and help of the
    interview, and every text for the person."""
    checklist = load_checklist()
    for step in checklist.steps:
        yield f"step {step.id}", step.prompt
        for variant in step.variants:
            yield f"step {step.id}, variant", variant.prompt
        for warning in step.warnings:
            yield f"step {step.id}, warning", warning.text
            for action in warning.actions:
                yield f"step {step.id}, action", action
        for f in step.fields:
            yield f"field {f.id}", f"{f.label} {f.help}"
    texts = load_survivor_texts(checklist)
    for explanation in texts.explanations.values():
        for part in explanation.parts:
            yield f"explanation {explanation.id}.{part.id}", part.text
    letter = texts.letter
    for key, text in letter.texts.items():
        yield f"letter {key}", text
    for text in (*letter.rights, *letter.labels.values(), *(c.text for c in letter.contacts)):
        yield "letter", text


@pytest.mark.parametrize("bad", [b["text"] for b in RULES["bad"]])
def test_the_checks_catch_the_scripts_of_before(bad):
    assert problems(bad)


def test_no_text_promises_what_we_cannot_keep_or_stacks_questions():
    found = [f"{where}: {p}" for where, text in every_text() for p in problems(text)]
    assert found == []


def test_every_text_is_checked():
    wheres = {where.split(",")[0].split(" ")[0] for where, _t in every_text()}
    assert {"step", "field", "explanation", "letter"} <= wheres

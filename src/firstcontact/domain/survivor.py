"""What the person hears and reads (checklists' `survivor.toml`), as plain data: the
explanations read with them on screen, and the letter that is their own copy of the record.

The texts are in English here; they are translated through their own gettext domain
(`firstcontact.i18n.survivor_text`), apart from the worker's words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from firstcontact.domain.conditions import Condition, Facts, evaluate


@dataclass(frozen=True)
class ExplanationPart:
    id: str
    text: str
    when: Condition | None = None  # None: always


@dataclass(frozen=True)
class Explanation:
    """Words the worker reads with the person (confidentiality, the NRM, the police…): the
    parts whose condition holds on the case."""

    id: str
    title: str
    parts: tuple[ExplanationPart, ...]
    source: str = ""

    def parts_for(self, facts: Facts) -> tuple[ExplanationPart, ...]:
        return tuple(p for p in self.parts if p.when is None or evaluate(p.when, facts))

    def part(self, part_id: str) -> ExplanationPart | None:
        return next((p for p in self.parts if p.id == part_id), None)


@dataclass(frozen=True)
class LetterSection:
    """A section of "What you told us": the fields it may show, in order."""

    title: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class SharedWords:
    """How the letter names a destination: what was sent, and to whom (``{name}``: the
    receiving service or authority named in the case; ``{organisation}``: ours)."""

    what: str
    to: str


@dataclass(frozen=True)
class Contact:
    label: str
    text: str


@dataclass(frozen=True)
class Letter:
    """The survivor copy: fixed texts by key, what it may show of the record and how."""

    texts: Mapping[str, str]
    rights: tuple[str, ...]
    history_count: tuple[str, str]  # singular, plural ("{n}")
    contacts: tuple[Contact, ...]
    consent_words: Mapping[str, str]
    events: Mapping[str, str]
    shared: Mapping[str, SharedWords]
    told: tuple[LetterSection, ...]
    labels: Mapping[str, str]  # field id -> its label in the second person
    values: Mapping[str, str] = field(default_factory=dict)  # option value -> words
    field_values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    never: tuple[str, ...] = ()  # field patterns never shown
    exploiters: tuple[str, ...] = ()  # shown only when safe for the person to carry
    reads: Mapping[str, str] = field(default_factory=dict)  # role -> the field it reads

    def text(self, key: str) -> str:
        return self.texts[key]

    def forbids(self, field_id: str) -> bool:
        return any(fnmatchcase(field_id, pattern) for pattern in self.never)

    def value_words(self, field_id: str, value: str) -> str | None:
        """The letter's own words for an option value (None: use the option's label)."""
        found = self.field_values.get(field_id, {}).get(value)
        return found if found is not None else self.values.get(value)


@dataclass(frozen=True)
class SurvivorTexts:
    explanations: Mapping[str, Explanation]
    letter: Letter

    def explanation(self, explanation_id: str) -> Explanation | None:
        return self.explanations.get(explanation_id)

"""Referral destinations as plain data: what a pack needs, its consent, its rules, its order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal

from firstcontact.domain.conditions import Condition

RuleEffect = Literal["refuse", "require", "notice"]
Audience = Literal["external", "internal"]


@dataclass(frozen=True)
class Rule:
    effect: RuleEffect
    when: Condition
    text: str
    step_consent: str | None = None  # "require": the consent step that fixes it
    step: str | None = None  # "require": the step that fixes it
    fix: str | None = None  # "require": "profile" when Settings fixes it
    worker_only: bool = False  # "notice": for the worker, not printed in the pack


@dataclass(frozen=True)
class ConsentNeed:
    destination: str
    when: Condition | None = None  # None: always


@dataclass(frozen=True)
class Section:
    title: str
    pages: tuple[str, ...] = ()  # form-route destinations: NRM pages, portal order
    fields: tuple[str, ...] = ()  # other destinations: field ids


@dataclass(frozen=True)
class Withhold:
    fields: tuple[str, ...]
    unless: Condition


@dataclass(frozen=True)
class Annex:
    """What the receiving caseworker needs beyond the form (the person's account in their
    own words, who was present, risks, needs), carried only while ``when`` holds."""

    title: str
    when: Condition
    fields: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Addressee:
    """The receiving organisation, read from the case's own answers: the first of ``names``
    answered names it (a Health and Social Care Trust in Northern Ireland, else the local
    authority)."""

    names: tuple[str, ...]
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Destination:
    id: str
    title: str
    summary: str
    nations: tuple[str, ...]
    sections: tuple[Section, ...]
    form_route: bool = False
    required: tuple[str, ...] = ()
    consent: ConsentNeed | None = None
    service_kind: str | None = None
    withhold: Withhold | None = None
    rules: tuple[Rule, ...] = ()
    short_title: str = ""  # a column heading; empty: the title
    audience: Audience = "external"
    never: tuple[str, ...] = ()  # field ids or shell-style patterns never carried
    annex: Annex | None = None
    addressee: Addressee | None = None
    whole_record: bool = False

    @property
    def heading(self) -> str:
        return self.short_title or self.title

    @property
    def external(self) -> bool:
        return self.audience == "external"

    def forbids(self, field_id: str) -> bool:
        """Whether this pack must never carry the field."""
        return any(fnmatchcase(field_id, pattern) for pattern in self.never)


@dataclass(frozen=True)
class Destinations:
    items: tuple[Destination, ...]
    labels: Mapping[str, str]

    def get(self, destination_id: str) -> Destination | None:
        return next((d for d in self.items if d.id == destination_id), None)

    def ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.items)

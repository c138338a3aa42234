"""Referral destinations as plain data: what a pack needs, its consent, its rules, its order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from firstcontact.domain.conditions import Condition

RuleEffect = Literal["refuse", "require", "notice"]


@dataclass(frozen=True)
class Rule:
    effect: RuleEffect
    when: Condition
    text: str
    step_consent: str | None = None  # "require": the consent step that fixes it
    step: str | None = None  # "require": the step that fixes it


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

    @property
    def heading(self) -> str:
        return self.short_title or self.title


@dataclass(frozen=True)
class Destinations:
    items: tuple[Destination, ...]
    labels: Mapping[str, str]

    def get(self, destination_id: str) -> Destination | None:
        return next((d for d in self.items if d.id == destination_id), None)

    def ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.items)

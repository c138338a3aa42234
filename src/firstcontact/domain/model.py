"""The interview's building blocks as plain, immutable data (loaded from `checklists/`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from firstcontact.domain.conditions import Condition

FieldType = Literal["text", "longtext", "choice", "multichoice", "date", "number", "list",
                    "checkbox"]
FIELD_TYPES: tuple[FieldType, ...] = ("text", "longtext", "choice", "multichoice", "date",
                                      "number", "list", "checkbox")
# An answer: text, a choice, an ISO date, a list item; a multiple choice; a checkbox; a number.
Value = str | list[str] | bool | int | float

DESTINATIONS: tuple[str, ...] = ("nrm", "dtn", "child-safeguarding", "specialist-support",
                                 "legal", "advocate", "case-record")


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    id: str
    type: FieldType
    label: str
    help: str = ""
    options: tuple[Option, ...] = ()
    list_name: str | None = None
    list_excludes: tuple[str, ...] = ()
    validate: tuple[str, ...] = ()
    when: Condition | None = None
    optional: bool = False
    pack_label: str = ""  # how a pack names it when the label speaks to the worker

    @property
    def document_label(self) -> str:
        return self.pack_label or self.label

    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    def option_label(self, value: str) -> str:
        return next((o.label for o in self.options if o.value == value), value)


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    summary: str = ""


WarningLevel = Literal["urgent", "warning", "advice"]


@dataclass(frozen=True)
class StepWarning:
    """Shown on the step while ``when`` holds.

    ``level``: "urgent" (acting comes before the next question: shown first and prominently,
    and Next waits until what was done is recorded in ``record``), "warning" (also listed in
    the completeness panel) or "advice" (on the step only). ``actions``: what to do, in order.
    ``pause``: the step offers to pause the interview (for example to arrange a safer time)."""

    when: Condition
    text: str
    level: WarningLevel = "warning"
    actions: tuple[str, ...] = ()
    record: str | None = None  # the field where the worker records what they did
    pause: bool = False

    @property
    def urgent(self) -> bool:
        return self.level == "urgent"


@dataclass(frozen=True)
class ScriptVariant:
    """The step's script for a particular case (a child, a nation): the first variant whose
    ``when`` holds replaces the step's own prompt."""

    when: Condition
    prompt: str


@dataclass(frozen=True)
class ExplainPoint:
    """One point a consent explanation must cover, ticked when explained: ``label`` is how
    the worker and the packs name it; the person's words are the explanation's part of the
    same id (survivor texts)."""

    id: str
    label: str


@dataclass(frozen=True)
class Step:
    id: str
    stage: str
    title: str
    prompt: str
    pcs: tuple[str, ...]
    guidance: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    sensitive: bool = False
    when: Condition | None = None
    consent: str | None = None
    consent_when: Condition | None = None  # the consent form is asked only when this holds
    worker_only: bool = False  # about the worker, not the person: never in the survivor copy
    warnings: tuple[StepWarning, ...] = ()
    source: str = ""  # where the wording comes from (seed passage, standard, guidance)
    variants: tuple[ScriptVariant, ...] = ()
    explain: str | None = None  # the survivor texts' explanation shown with the step
    points: tuple[ExplainPoint, ...] = ()  # a consent step: what must be explained


@dataclass(frozen=True)
class DerivedField:
    """A field whose value is computed from facts, never entered."""

    id: str
    cases: tuple[tuple[Condition, str], ...]
    displays: tuple[str, ...] = ()  # per case: how a pack shows it ("" = the value's label)

    def display_for(self, value_index: int) -> str:
        return self.displays[value_index] if value_index < len(self.displays) else ""


@dataclass(frozen=True)
class EvidenceNeed:
    """One thing the record must show for a PC to be evidenced, and what to say when it
    does not."""

    when: Condition
    missing: str


@dataclass(frozen=True)
class Evidence:
    """When the record evidences a PC: every need holds. ``not_applicable``: (condition,
    reason) pairs under which the PC does not apply to this case."""

    pc: str
    needs: tuple[EvidenceNeed, ...]
    not_applicable: tuple[tuple[Condition, str], ...] = ()


@dataclass(frozen=True)
class SkipReason:
    """Why a step was not possible now: the worker's words, and what a pack may say."""

    id: str
    label: str
    pack_text: str


@dataclass(frozen=True)
class Reminders:
    """What the case list reminds the worker of: an NRM decision awaited (``decision_due``
    holds), and the date of the next review (``review_date``: a date field)."""

    decision_due: Condition
    review_date: str


@dataclass(frozen=True)
class NrmField:
    id: str
    type: str
    required: bool
    pages: tuple[str, ...]
    options: tuple[str, ...] = ()
    list_name: str | None = None
    list_excludes: tuple[str, ...] = ()
    validate: tuple[str, ...] = ()
    required_when: Condition | None = None
    unused: bool = False


@dataclass(frozen=True)
class NrmFork:
    to: str
    when: Condition


@dataclass(frozen=True)
class NrmPage:
    path: str
    fields: tuple[str, ...]
    next: str
    forks: tuple[NrmFork, ...] = ()
    reachable: bool = True


@dataclass(frozen=True)
class NrmForm:
    """The Home Office NRM / Duty to Notify form: fields and page flow."""

    fields: Mapping[str, NrmField]
    pages: tuple[NrmPage, ...]
    derived: Mapping[str, Condition]

    def page(self, path: str) -> NrmPage | None:
        return next((p for p in self.pages if p.path == path), None)


@dataclass(frozen=True)
class Checklist:
    """Everything the interview engine needs, validated at load."""

    criteria: tuple[Criterion, ...]
    knowledge: tuple[Criterion, ...]
    stages: tuple[Stage, ...]
    steps: tuple[Step, ...]
    derived: Mapping[str, Condition]
    derived_fields: tuple[DerivedField, ...]
    lists: Mapping[str, tuple[str, ...]]
    nrm: NrmForm
    consent_language_field: str | None = None  # its answer fills in a consent's language
    evidence: Mapping[str, Evidence] = field(default_factory=dict)  # PC id -> rule
    skip_reasons: tuple[SkipReason, ...] = ()
    # the interpreter step's fields by role: name, agency, language, accredited, independent
    interpreter_fields: Mapping[str, str] = field(default_factory=dict)
    practice: Mapping[str, str] = field(default_factory=dict)  # K id -> a practical note
    reminders: Reminders | None = None
    _fields: Mapping[str, tuple[Step, Field]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        index = {f.id: (s, f) for s in self.steps for f in s.fields}
        object.__setattr__(self, "_fields", index)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def field(self, field_id: str) -> Field | None:
        found = self._fields.get(field_id)
        return found[1] if found else None

    def step_of_field(self, field_id: str) -> Step | None:
        found = self._fields.get(field_id)
        return found[0] if found else None

    def skip_reason(self, reason_id: str) -> SkipReason | None:
        return next((r for r in self.skip_reasons if r.id == reason_id), None)

    def criterion(self, item_id: str) -> Criterion | None:
        return next((c for c in (*self.criteria, *self.knowledge) if c.id == item_id), None)

    def steps_for(self, item_id: str) -> tuple[Step, ...]:
        """Steps that evidence a PC, or show a K item as guidance."""
        return tuple(s for s in self.steps if item_id in s.pcs or item_id in s.guidance)

    def list_values(self, field: Field) -> tuple[str, ...]:
        if field.list_name is None:
            return ()
        values = self.lists[field.list_name]
        if not field.list_excludes:
            return values
        excluded = set(field.list_excludes)
        return tuple(v for v in values if v not in excluded)

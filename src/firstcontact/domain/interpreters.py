"""The case's interpreters: the one recorded on the interpreter step now, and those named on
earlier consent records (kept as they were then), so a consent always names a recorded
interpreter and keeps whether they were independent of the person."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from firstcontact.domain.case import ConsentRecord
from firstcontact.domain.model import Value


@dataclass(frozen=True)
class Interpreter:
    name: str
    agency: str = ""
    language: str = ""
    accredited: bool | None = None  # None: not recorded
    independent: bool | None = None
    current: bool = False  # the one on the interpreter step now

    @property
    def companion_like(self) -> bool:
        """Not independent of the person (a companion, relative, friend, community member)."""
        return self.independent is False


def _yes_no(value: Value | None) -> bool | None:
    return True if value == "yes" else False if value == "no" else None


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def case_interpreters(answers: Mapping[str, Value], history: Sequence[ConsentRecord],
                      fields: Mapping[str, str]) -> tuple[Interpreter, ...]:
    """The current interpreter first (when the step names one), then earlier ones."""
    out: list[Interpreter] = []
    name = answers.get(fields.get("name", ""))
    if isinstance(name, str) and name.strip():
        agency, language = answers.get(fields.get("agency", "")), answers.get(
            fields.get("language", ""))
        out.append(Interpreter(
            name.strip(), agency if isinstance(agency, str) else "",
            language if isinstance(language, str) else "",
            _yes_no(answers.get(fields.get("accredited", ""))),
            _yes_no(answers.get(fields.get("independent", ""))), current=True))
    seen = {_key(i.name) for i in out}
    for record in reversed(history):
        if record.interpreter and _key(record.interpreter) not in seen:
            seen.add(_key(record.interpreter))
            out.append(Interpreter(record.interpreter, accredited=record.interpreter_accredited,
                                   independent=record.interpreter_independent))
    return tuple(out)


def find(interpreters: Sequence[Interpreter], name: str) -> Interpreter | None:
    """The interpreter of that name (spaces and case aside), or None."""
    return next((i for i in interpreters if _key(i.name) == _key(name)), None)

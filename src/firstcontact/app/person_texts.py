"""The texts for the person (checklists' `survivor.toml`) as the screens use them: the
explanation a step reads with the person, fitted to the case (child or adult, nation, whether
the worker's organisation has the Duty to Notify), in the person's language domain."""

from __future__ import annotations

from dataclasses import dataclass

from firstcontact.app.profile import Profile
from firstcontact.checklists import load_checklist
from firstcontact.checklists.survivor import load_survivor_texts
from firstcontact.domain.case import CaseState
from firstcontact.domain.interview import Interview
from firstcontact.domain.model import Checklist, Step
from firstcontact.domain.survivor import SurvivorTexts
from firstcontact.i18n import survivor_text
from firstcontact.referral.check import PackInputs, pack_facts


@dataclass(frozen=True)
class ExplanationView:
    """What the screen shows the worker to read with the person."""

    title: str
    parts: tuple[tuple[str, str], ...]  # (part id, words), in the person's language


_LOADED: dict[int, tuple[Checklist, SurvivorTexts]] = {}  # by the interview they belong to


def texts_for_person(checklist: Checklist) -> SurvivorTexts:
    """The survivor texts of the interview in use, loaded and checked once per interview."""
    found = _LOADED.get(id(checklist))
    if found is None or found[0] is not checklist:
        shipped = checklist is load_checklist()
        found = (checklist, load_survivor_texts(None if shipped else checklist))
        _LOADED[id(checklist)] = found
    return found[1]


def explanation_for(interview: Interview, profile: Profile, step: Step, state: CaseState,
                    reference: str = "") -> ExplanationView | None:
    """The step's explanation on this case (None: the step has none)."""
    if step.explain is None:
        return None
    found = texts_for_person(interview.checklist).explanation(step.explain)
    if found is None:
        return None
    facts = pack_facts(interview, state,
                       PackInputs(reference=reference, profile=profile.pack_facts()))
    return ExplanationView(survivor_text(found.title),
                           tuple((p.id, survivor_text(p.text)) for p in found.parts_for(facts)))

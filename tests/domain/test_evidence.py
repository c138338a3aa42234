"""Each SFJ BE2 PC is evidenced by substance, not by a tag: for every PC, the weakest record
that still evidences it, and one just short of it that does not (checklists/evidence.toml)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from firstcontact.checklists import load_checklist
from firstcontact.domain.case import CaseState, ConsentRecord, CriterionMark, SkipRecord
from firstcontact.domain.interview import Interview
from firstcontact.domain.model import Value


@dataclass(frozen=True)
class Case:
    answers: dict[str, Value] = field(default_factory=dict)
    consents: dict[str, str] = field(default_factory=dict)
    exports: tuple[str, ...] = ()

    def state(self) -> CaseState:
        records = {d: ConsentRecord(d, s, "Sam Worker", "English",  # type: ignore[arg-type]
                                    explained="what it is, who sees it, that it is voluntary",
                                    recorded_at="2026-11-27T10:00:00Z")
                   for d, s in self.consents.items()}
        return CaseState(answers=self.answers, consents=records,
                         exports=dict.fromkeys(self.exports, "2026-11-27T11:00:00Z"),
                         contact_date="2026-11-27")


ADULT: dict[str, Value] = {"pv-under-age": "no"}
INTERPRETER_OK: dict[str, Value] = {
    "pv-interpreter-requirements": "yes", "fc-interpreter-name": "A. Interpreter",
    "fc-interpreter-accredited": "yes", "fc-interpreter-independent": "yes",
    "fc-interpreter-comfortable": "yes"}
TYPES = {"types-of-exploitation-forced-to-work": True}
IMMEDIATE: dict[str, Value] = {"fc-medical-need": "no", "fc-danger-now": "no",
                               "fc-safe-tonight": "yes"}
RISK: dict[str, Value] = {"fc-risk-level": "high", "fc-risk-details": "Threats",
                          "fc-risk-indicators": ["debt"]}
TOLD = "A support worker will call you within two days; you can call me on this number."

# PC -> (the weakest record that evidences it, the same record just short of it)
CASES: dict[str, tuple[Case, Case]] = {
    "PC1": (Case({"fc-contact-place": "drop-in", "fc-contact-discreet": True}),
            Case({"fc-contact-place": "drop-in", "fc-contact-discreet": False})),
    "PC2": (Case({"fc-accompanied": "yes", "fc-companions-identity-confirmed": "yes",
                  "fc-companions-identity": "Her sister; passport seen"}),
            Case({"fc-accompanied": "yes", "fc-companions-identity-confirmed": "no",
                  "fc-companions-identity": "no ID seen"})),
    "PC3": (Case({"fc-safe-place": "Quiet room", "fc-person-at-ease": "yes",
                  "fc-accompanied": "yes", "fc-spoke-alone": "yes"}),
            Case({"fc-safe-place": "Quiet room", "fc-person-at-ease": "yes",
                  "fc-accompanied": "yes", "fc-spoke-alone": "no"})),
    "PC4": (Case({"pv-under-age": "no", "pv-dob": "1990-01-01"}),
            Case({"pv-under-age": "no", "pv-dob": "2010-06-01"})),  # the DOB says 16
    "PC5": (Case({"fc-confidentiality-explained": True, "fc-confidentiality-understood": "yes",
                  "fc-limits-explained-again": True}),
            Case({"fc-confidentiality-explained": True, "fc-confidentiality-understood": "yes",
                  "fc-limits-explained-again": False})),  # not gone over again for the route
    "PC6": (Case(ADULT, {"nrm": "declined"}), Case(ADULT, {"nrm": "not-sought"})),
    "PC7": (Case({"fc-language": "Tigrinya", "pv-interpreter-requirements": "no"}),
            Case({"fc-language": "Tigrinya"})),
    "PC8": (Case(INTERPRETER_OK),
            Case({**INTERPRETER_OK, "fc-interpreter-accredited": "no",
                  "fc-interpreter-independent": "no"})),  # a companion, not accredited
    "PC9": (Case({"pv-gender": "female", "fc-tailored-response": "A female worker, offered"}),
            Case({"pv-gender": "female", "fc-tailored-response": "ok"})),
    "PC10": (Case({**TYPES, "modern-slavery-indicators": "yes"}),
             Case({"modern-slavery-indicators": "yes"})),
    "PC11": (Case({"fc-believed": True}), Case({"fc-believed": False})),
    "PC12": (Case({"pv-other-help-with-communication": "yes",
                   "pv-other-help-with-communication-aid": "Easy-read leaflet"}),
             Case({"pv-other-help-with-communication": "yes"})),
    "PC13": (Case(exports=("specialist-support",)), Case(ADULT, {"nrm": "given"})),
    "PC14": (Case({**ADULT, "does-pv-need-support": "no", "fc-told-next": TOLD}, {"nrm": "given"}),
             Case({**ADULT, "does-pv-need-support": "no"}, {"nrm": "given"})),
    "PC15": (Case({"fc-requirements-checked": True}), Case({"fc-requirements-checked": False})),
    "PC16": (Case({**IMMEDIATE, "fc-needs": "Somewhere safe to sleep"}),
             Case({"fc-needs": "Somewhere safe to sleep"})),  # immediate needs never asked
    "PC17": (Case({"fc-believed": True}), Case({"fc-own-words": "A long account in words"})),
    "PC18": (Case({"fc-pace-respected": True, "fc-priorities": "Safety first"}),
             Case({"fc-pace-respected": False, "fc-priorities": "Safety first"})),
    "PC19": (Case({"fc-specialist-advice": "yes", "fc-specialist-advice-details": "Helpline"}),
             Case({"fc-specialist-advice": "not-yet"})),
    "PC20": (Case({"fc-legal-representation": "has-one", "fc-legal-understood": True}),
             Case({"fc-legal-representation": "wants-one"})),
    "PC21": (Case({**ADULT, "fc-advocate-offered": True}, {"advocate": "declined"}),
             Case({**ADULT, "fc-advocate-offered": True})),
    "PC22": (Case({"fc-own-words": "I worked every day and was never paid.",
                   "fc-pace-respected": True}),
             Case({"fc-own-words": "x", "fc-pace-respected": False})),
    "PC23": (Case({**RISK, "does-pv-have-children": "no", "fc-other-dependants": "no"}),
             Case({**RISK, "does-pv-have-children": "no",
                   "fc-other-dependants": "yes"})),  # the dependants' risks are not recorded
    "PC24": (Case({"fc-safety-plan": "Stay at the shelter", "fc-safe-contact": "Mornings"}),
             Case({"fc-safety-plan": "Stay at the shelter"})),
    "PC25": (Case({"fc-mitigations": "Moved", "reported-to-police": "no",
                   "fc-police-wish": "later"}),
             Case({"fc-mitigations": "Moved", "reported-to-police": "no"})),
    "PC26": (Case({"fc-priority-needs": ["safety"], "fc-options-explored": "Shelter or friend",
                   "fc-safe-tonight": "no", "fc-urgent-action": "Helpline found a bed tonight"}),
             Case({"fc-priority-needs": ["safety"], "fc-options-explored": "Shelter or friend",
                   "fc-safe-tonight": "no"})),  # an urgent need, and nothing done recorded
    "PC27": (Case({"fc-follow-up-plan": "Call on Monday", "fc-follow-up-date": "2026-12-01"}),
             Case({"fc-follow-up-plan": "Call on Monday"})),
    "PC28": (Case({"fc-services-identified": "Local shelter"}), Case({})),
    "PC29": (Case({"fc-outcomes": "Agreed a plan", "fc-records-kept-safely": True}),
             Case({"fc-outcomes": "Agreed a plan", "fc-records-kept-safely": False})),
    "PC30": (Case({"fc-records-kept-safely": True, "fc-information-shared": "NRM only"}),
             Case({"fc-records-kept-safely": True})),
    "PC31": (Case({"fc-worker-check-in": "yes", "fc-support-arranged": "not-needed"}),
             Case({"fc-worker-check-in": "no", "fc-support-arranged": "yes"})),
    "PC32": (Case({"fc-partners": "The local shelter"}),
             Case({"are-others-involved": "yes"})),
    "PC33": (Case({"authorities-cooperation": "no", "fc-information-shared": "NRM only"}),
             Case({"authorities-cooperation": "no"})),
    "PC34": (Case({**ADULT, "fc-reporting-procedure": "Told my manager"}, {"nrm": "declined"}),
             Case(ADULT, {"nrm": "declined"})),
    "PC35": (Case({"fc-reflection": "I should have offered a break sooner."}),
             Case({"fc-reflection": "ok"})),
}


@pytest.fixture(scope="module")
def iv() -> Interview:
    return Interview(load_checklist())


def status(iv: Interview, case: Case, pc: str) -> tuple[str, tuple[str, ...]]:
    found = next(c for c in iv.coverage(case.state()) if c.criterion.id == pc)
    return found.status, found.missing


def test_every_pc_has_a_case(iv):
    assert set(CASES) == {c.id for c in iv.checklist.criteria}


@pytest.mark.parametrize("pc", sorted(CASES, key=lambda p: int(p[2:])))
def test_pc_is_evidenced_by_substance_only(iv, pc):
    enough, short = CASES[pc]
    assert status(iv, enough, pc)[0] == "evidenced"
    got, missing = status(iv, short, pc)
    assert got == "open", (pc, got)
    assert missing and all(m.strip() for m in missing)  # the worker is told what is lacking


def test_open_pc_says_what_is_missing_in_words(iv):
    _status, missing = status(iv, CASES["PC31"][1], "PC31")
    assert missing == ("No colleague is recorded as knowing where you were and when to expect "
                       "you.",)


@pytest.mark.parametrize(("nation", "field"), [("england", "fc-guardian"),
                                               ("scotland", "fc-guardian-scotland"),
                                               ("northern-ireland", "fc-guardian-ni")])
def test_a_childs_pc21_is_the_guardian_of_their_nation(iv, nation, field):
    child = {"pv-under-age": "yes", "fr-location": nation}
    assert status(iv, Case({**child, "fc-advocate-offered": True}), "PC21")[0] == "open"
    assert status(iv, Case({**child, field: "yes"}), "PC21")[0] == "evidenced"


def test_a_child_needs_no_consent_for_pc6(iv):
    child = Case({"pv-under-age": "yes"})
    assert status(iv, child, "PC6")[0] == "not-applicable"


def test_a_worker_note_cannot_overrule_the_record(iv):
    state = CASES["PC8"][1].state()
    marked = replace(state, marks={"PC8": CriterionMark("met", "It went fine")})
    assert next(c for c in iv.coverage(marked) if c.criterion.id == "PC8").status == "open"
    # where the interview recorded nothing the rule reads, the worker's note stands
    empty = replace(CaseState(), marks={"PC28": CriterionMark("met", "Gave the leaflet")})
    found = next(c for c in iv.coverage(empty) if c.criterion.id == "PC28")
    assert found.status == "evidenced" and found.reasons == ("Gave the leaflet",)


def test_every_step_skipped_means_not_possible_now(iv):
    state = CaseState(answers={"pv-interpreter-requirements": "no"},
                      skips={"reflection": SkipRecord("no-time", "")})
    found = next(c for c in iv.coverage(state) if c.criterion.id == "PC35")
    assert found.status == "not-possible-now"
    assert found.reasons == ("There was not enough time, or we were interrupted",)

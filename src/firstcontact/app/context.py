"""What the application layer's parts share for one unlocked store: the store itself (private
to app/), the interview data and its engine, the destinations, and the case summary every
change writes with it. Nothing outside app/ holds a Context."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from firstcontact.app.answer_cache import AnswerCache, presence_only_fields
from firstcontact.app.data_views import DataViews
from firstcontact.app.errors import Invalid
from firstcontact.app.profile import SETTING_KEY as PROFILE_KEY
from firstcontact.app.profile import Profile, profile_from_json
from firstcontact.clock import now_iso
from firstcontact.domain.case import CaseState
from firstcontact.domain.interview import Interview
from firstcontact.domain.model import Checklist
from firstcontact.domain.text import storable
from firstcontact.i18n import _
from firstcontact.referral.check import PackInputs, check_pack
from firstcontact.referral.model import Destinations
from firstcontact.store import records
from firstcontact.store.facade import Store

__all__ = ["Context", "check_text", "now_iso"]


def check_text(*texts: str | None) -> None:
    """Refuse text the store cannot hold (an unpaired surrogate) before anything is written."""
    if any(text is not None and not storable(text) for text in texts):
        raise Invalid(_("the text contains characters that cannot be stored (an unpaired "
                        "surrogate)"))


@dataclass
class Context:
    store: Store
    data_dir: Path
    source: Checklist  # the interview data as written (English)
    views: DataViews = field(init=False)
    answers: AnswerCache = field(default_factory=AnswerCache, init=False)
    _profile: Profile | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.views = DataViews(self.source)

    # The data in the language of the thread's work (the worker's; English for a pack).
    @property
    def checklist(self) -> Checklist:
        return self.views.view().checklist

    @property
    def interview(self) -> Interview:
        return self.views.view().interview

    @property
    def destinations(self) -> Destinations:
        return self.views.view().destinations

    @cached_property
    def presence_only(self) -> frozenset[str]:
        """Fields the summary reads only as answered and valid (app/answer_cache.py)."""
        return presence_only_fields(self.source, self.views.source_destinations)

    # -- the worker profile (read once per unlock) ---------------------------------------------
    def profile(self) -> Profile:
        if self._profile is None:
            raw = self.store.get_setting(PROFILE_KEY)
            self._profile = profile_from_json(json.loads(raw)) if raw else Profile()
        return self._profile

    def remember_profile(self, profile: Profile) -> None:
        self._profile = profile
        self.answers.clear()  # summaries read the profile

    # -- what every change writes with it ------------------------------------------------------
    def pack_inputs(self, case: records.CaseRow, service: object | None = None) -> PackInputs:
        from firstcontact.referral.services import Service

        return PackInputs(reference=case.reference, profile=self.profile().pack_facts(),
                          service=service if isinstance(service, Service) else None)

    def summary(self, case: records.CaseRow, state: CaseState) -> records.SummaryUpdate:
        """The case list's row for this state: stage reached, completeness per destination."""
        stage = self.interview.stage_reached(state)
        inputs = self.pack_inputs(case)
        completeness = {}
        for d in self.destinations.items:
            result = check_pack(self.interview, self.destinations, d, state, inputs)
            completeness[d.id] = ("refused" if result.refusals else
                                  "complete" if result.complete else "incomplete")
        reminders = self.interview.reminders(state)
        return records.SummaryUpdate(stage_reached=stage.id if stage else None,
                                     completeness=completeness,
                                     search_text=case.reference,
                                     decision_due=reminders.decision_due,
                                     follow_up_due=reminders.review_date)

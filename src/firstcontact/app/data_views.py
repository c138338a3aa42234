"""The interview and referral data as a reader sees them: in the language of the thread's work
(`firstcontact.i18n.language()`: the worker's, or English while a pack is written). One
translated copy per language, made once; ids, conditions and rules are the same in every copy,
so the engine's answers never depend on the language — only the words do."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from firstcontact.checklists.localize import (
    from_catalog,
    localized_checklist,
    localized_destinations,
)
from firstcontact.domain.interview import Interview
from firstcontact.domain.model import Checklist
from firstcontact.i18n import DOMAIN, ENGLISH, catalog, has_catalog, language
from firstcontact.referral.loader import load_destinations
from firstcontact.referral.model import Destinations


@dataclass(frozen=True)
class DataView:
    checklist: Checklist
    interview: Interview
    destinations: Destinations


class DataViews:
    """The source data (English) and its translations, by language."""

    def __init__(self, source: Checklist) -> None:
        self.source = source
        self._views: dict[str, DataView] = {}

    @cached_property
    def source_destinations(self) -> Destinations:
        return load_destinations(self.source)

    def view(self, code: str | None = None) -> DataView:
        """The data in ``code`` (default: the thread's language now); English where there is
        no catalog."""
        code = code or language()
        if code.split("_")[0] == ENGLISH or not has_catalog(DOMAIN, code):
            code = ENGLISH
        found = self._views.get(code)
        if found is None:
            if code == ENGLISH:
                checklist, destinations = self.source, self.source_destinations
            else:
                t = from_catalog(catalog(DOMAIN, code))
                checklist = localized_checklist(self.source, t)
                destinations = localized_destinations(self.source_destinations, t)
            found = DataView(checklist, Interview(checklist), destinations)
            self._views[code] = found
        return found

"""The worker's settings, kept inside the encrypted store: the profile every pack uses, the
preferences (idle lock), the retention period for closed cases, and the organisation's
services directory (a file beside the store)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from firstcontact.app.context import Context
from firstcontact.app.errors import Invalid, NotFound
from firstcontact.app.preferences import (
    SETTING_KEY as PREFERENCES_KEY,
)
from firstcontact.app.preferences import (
    Preferences,
    preferences_from_json,
    updated_preferences,
)
from firstcontact.app.profile import SETTING_KEY as PROFILE_KEY
from firstcontact.app.profile import Profile, updated_profile
from firstcontact.i18n import DOMAIN, _, environment_language, language_name, languages
from firstcontact.referral.services import Service, load_services, services_file

RETENTION_KEY = "retention"


@dataclass(frozen=True)
class RetentionRun:
    """What one application of the retention period did."""

    erased: int = 0
    kept_unsynced: int = 0  # closed cases past the period, kept until the hub has them


class Settings:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # -- profile -------------------------------------------------------------------------------
    def profile(self) -> Profile:
        return self._ctx.profile()

    def set_profile(self, **changes: str | None) -> Profile:
        """Change profile fields (None: unchanged); validated, stored, audited."""
        new = updated_profile(self._ctx.profile(), dict(changes), self._ctx.checklist)
        self._ctx.store.set_setting(PROFILE_KEY, json.dumps(new.as_json()))
        self._ctx.remember_profile(new)
        self._ctx.store.audit("profile-changed")
        return new

    # -- preferences ---------------------------------------------------------------------------
    def preferences(self) -> Preferences:
        raw = self._ctx.store.get_setting(PREFERENCES_KEY)
        if not raw:
            return Preferences()
        try:
            return preferences_from_json(json.loads(raw))
        except (ValueError, TypeError):
            return Preferences()

    def save_preferences(self, *, idle_lock_seconds: float | None = None,
                         language: str | None = None) -> Preferences:
        """Change preferences (None: unchanged); validated, then stored."""
        current = self.preferences()
        new = updated_preferences(current, idle_lock_seconds=idle_lock_seconds,
                                  language=language)
        if new != current:
            self._ctx.store.set_setting(PREFERENCES_KEY, json.dumps(new.as_json()))
        return new

    # -- languages -----------------------------------------------------------------------------
    def languages(self) -> tuple[tuple[str, str], ...]:
        """The languages the worker's screens can be in: (code, its name in itself)."""
        return tuple((code, language_name(code)) for code in languages(DOMAIN))

    def screen_language(self) -> str:
        """The language the saved preference asks for (the system's when none is saved)."""
        return self.preferences().language or environment_language()

    # -- retention -----------------------------------------------------------------------------
    def retention_days(self) -> int | None:
        """Closed cases are erased this many days after their last change (None: never)."""
        raw = self._ctx.store.get_setting(RETENTION_KEY)
        value = json.loads(raw).get("closed_days") if raw else None
        return int(value) if isinstance(value, int) else None

    def set_retention_days(self, days: int | None) -> None:
        if days is not None and days < 1:
            raise Invalid(_("retention must be at least 1 day (or off)"))
        self._ctx.store.set_setting(RETENTION_KEY, json.dumps({"closed_days": days}))
        self._ctx.store.audit("retention-changed", detail=f"closed_days={days}")

    def apply_retention(self) -> RetentionRun:
        """Erase closed cases past the retention period (slow: VACUUM). A case holding
        changes the organisation's hub has not acknowledged is kept, audited, until it has."""
        days = self.retention_days()
        if days is None:
            return RetentionRun()
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ")
        erased, kept = self._ctx.store.purge_closed(cutoff)
        return RetentionRun(erased, kept)

    # -- the services directory ------------------------------------------------------------
    def services(self, kind: str | None = None) -> tuple[Service, ...]:
        found = load_services(services_file(self._ctx.data_dir))
        return tuple(s for s in found if kind is None or s.kind == kind)

    def service(self, service_id: str) -> Service:
        found = next((s for s in self.services() if s.id == service_id), None)
        if found is None:
            raise NotFound(_("no service '{id}' in the services directory (see `firstcontact "
                             "services list`)").format(id=service_id))
        return found

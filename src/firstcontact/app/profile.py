"""The worker profile: the first responder details every pack uses, stored once per store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from firstcontact.app.errors import Invalid
from firstcontact.checklists.constants import NRM_PROFILE_FIELDS, PROFILE_PUBLIC_AUTHORITY
from firstcontact.i18n import N_, _

if TYPE_CHECKING:
    from firstcontact.domain.model import Checklist

NATIONS = ("england", "wales", "scotland", "northern-ireland")
SETTING_KEY = "profile"
# Specified public authorities with the Duty to Notify (Modern Slavery Act 2015 s52), and "none".
PUBLIC_AUTHORITIES = {
    "police": N_("Police"),
    "local-authority": N_("Local authority"),
    "nca": N_("National Crime Agency"),
    "gla": N_("Gangmasters and Labour Abuse Authority"),
    "home-office": N_("Home Office (immigration and border functions)"),
    "none": N_("None: my organisation is not a specified public authority"),
}


@dataclass(frozen=True)
class Profile:
    first_name: str = ""
    last_name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""
    organisation: str = ""  # from the NRM organisations list
    nation: str = ""  # default nation for new cases
    public_authority: str = ""  # a key of PUBLIC_AUTHORITIES; "": not said yet

    def nrm_fields(self) -> dict[str, str]:
        """The NRM form fields this profile answers."""
        return {fid: str(getattr(self, name)) for fid, name in NRM_PROFILE_FIELDS.items()}

    def pack_facts(self) -> dict[str, str]:
        """What a pack and its rules take from the profile: the NRM fields, and whether the
        worker's organisation is a specified public authority."""
        return {**self.nrm_fields(), PROFILE_PUBLIC_AUTHORITY: self.public_authority}

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name}, {self.role}" if name and self.role else name

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


FIELD_NAMES = tuple(f.name for f in fields(Profile))


def profile_from_json(data: object) -> Profile:
    if not isinstance(data, dict):
        return Profile()
    return Profile(**{k: str(v) for k, v in data.items() if k in FIELD_NAMES})


def updated_profile(current: Profile, changes: dict[str, str | None],
                    checklist: Checklist) -> Profile:
    """Apply ``changes`` (None: unchanged), validating organisation, nation, email and phone."""
    from firstcontact.domain.values import is_email, is_phone  # (the CLI's start stays light)

    clean = {k: v.strip() for k, v in changes.items() if v is not None}
    unknown = set(clean) - set(FIELD_NAMES)
    if unknown:
        raise Invalid(_("unknown profile fields: {names}").format(names=", ".join(sorted(unknown))))
    new = replace(current, **clean)
    if new.organisation and new.organisation not in checklist.lists["organisations"]:
        raise Invalid(_("the organisation must be written exactly as in the NRM organisations "
                        "list (see `firstcontact profile organisations`)"))
    if new.public_authority and new.public_authority not in PUBLIC_AUTHORITIES:
        raise Invalid(_("the public authority must be one of: {kinds}").format(
            kinds=", ".join(PUBLIC_AUTHORITIES)))
    if new.nation and new.nation not in NATIONS:
        raise Invalid(_("the nation must be one of: {nations}").format(nations=", ".join(NATIONS)))
    if new.email and not is_email(new.email):  # packs print it: the SCA writes to it
        raise Invalid(_("the email address is not valid (for example name@example.org)"))
    if new.phone and not is_phone(new.phone):
        raise Invalid(_("the phone number is not valid: 7 to 17 digits, written with digits, "
                        "spaces and + ( ) - (for example +44 20 7946 0000)"))
    return new

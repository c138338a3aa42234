"""The services directory: local services an organisation refers people to (PC28).

The app ships with none (a fictional service must never receive a referral): the organisation
writes its own `services.toml` in the data directory (docs/services.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from firstcontact.checklists.loader import ChecklistError, read_validated_toml
from firstcontact.i18n import _

FILE_NAME = "services.toml"


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    kind: str
    phone: str = ""
    email: str = ""
    address: str = ""
    languages: tuple[str, ...] = ()
    notes: str = ""


def services_file(data_dir: Path) -> Path:
    """The organisation's own `services.toml` in the data directory (it may not exist yet)."""
    return data_dir / FILE_NAME


def how_to_add(data_dir: Path) -> str:
    """What to tell the worker when the directory is empty."""
    return _("The services directory is empty: no fictional or example service is ever "
             "offered. Your organisation adds its own local services to {path} (the format is "
             "in docs/services.md).").format(path=services_file(data_dir))


def load_services(path: Path) -> tuple[Service, ...]:
    """The services in ``path`` (none when the organisation has not written the file yet)."""
    if not path.exists():
        return ()
    doc = read_validated_toml(path.parent, path.name, "services.schema.json")
    out = []
    seen: set[str] = set()
    for raw in doc.get("service", ()):
        if raw["id"] in seen:
            raise ChecklistError(path.name, f'service "{raw["id"]}"', "id used more than once")
        seen.add(raw["id"])
        out.append(Service(id=raw["id"], name=raw["name"], kind=raw["kind"],
                           phone=raw.get("phone", ""), email=raw.get("email", ""),
                           address=raw.get("address", ""),
                           languages=tuple(raw.get("languages", ())), notes=raw.get("notes", "")))
    return tuple(out)

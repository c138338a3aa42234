"""The services directory: local services an organisation refers people to (PC28)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from firstcontact.checklists.loader import ChecklistError, read_validated_toml

SERVICE_KINDS = ("specialist-support", "legal", "advocate", "interpreter-agency",
                 "local-authority")
EXAMPLE = Path(str(resources.files("firstcontact.referral"))) / "services.example.toml"
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
    """The organisation's own `services.toml` in the data directory, else the shipped example."""
    own = data_dir / FILE_NAME
    return own if own.exists() else EXAMPLE


def load_services(path: Path) -> tuple[Service, ...]:
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

"""A pseudo-locale ("qps") for tests: every source string accented, about 40 % longer and
bracketed ⟦…⟧, placeholders, keyboard accelerators and line breaks kept. A string on screen that
is not bracketed did not go through a catalog; a label that clips shows in the longer text."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CODE = "qps"
ROOT = Path(__file__).resolve().parents[2]
ACCENTS = str.maketrans("AaCcEeIiNnOoUuYySsZzGgLlRrTtDdHhKkWwBbMmPpVvFfJjQqXx",
                        "ÅåÇçÉéÎîÑñÖöÛüÝÿŠšŽžĜĝĻļŘřŤťĎďĤĥĶķŴŵƁɓḾḿṔṕṼṽƑƒĴĵǪǫẊẋ")
# {placeholder}, %(name)s, an &accelerator and a doubled &&, HTML-ish tags, URLs, $VARS, --flags
KEEP = re.compile(r"\{[^{}]*\}|%\(\w+\)\w|&&|&(?=\w)|<[^<>]*>|https?://\S+|\$\w+|--[\w-]+"
                  r"|`[^`]*`|\b(?:Alt|Ctrl|Shift|Esc|Tab|Enter)\b(?:\+\w+)*")


def pseudo(text: str) -> str:
    if not text:
        return text
    out, at = [], 0
    for m in KEEP.finditer(text):
        out.append(text[at:m.start()].translate(ACCENTS))
        out.append(m.group(0))
        at = m.end()
    out.append(text[at:].translate(ACCENTS))
    body = "".join(out)
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    core = body.strip()
    pad = "·" * max(1, round(len(core) * 0.4))
    return f"{lead}⟦{core}{pad}⟧{trail}"


def build(locale_dir: Path) -> None:
    """Compile pseudo catalogs of both templates into ``locale_dir``/qps/LC_MESSAGES."""
    for pot in sorted((ROOT / "translations").glob("*.pot")):
        with pot.open("rb") as f:
            template = read_po(f)
        catalog = Catalog(locale="en", domain=pot.stem, header_comment="# pseudo-locale")
        for m in template:
            if not m.id:
                continue
            if isinstance(m.id, tuple):
                catalog.add(m.id, tuple(pseudo(i) for i in m.id), context=m.context)
            else:
                catalog.add(m.id, pseudo(m.id), context=m.context)
        target = locale_dir / CODE / "LC_MESSAGES" / f"{pot.stem}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as f:
            write_mo(f, catalog)

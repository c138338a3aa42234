"""The translation catalogs: extract, update, compile, check (``make translations``,
``make catalogs``, ``make check-strings``; the packaged build compiles through here too).

Two domains (see ``src/firstcontact/i18n.py``): ``firstcontact`` — the worker's: the code and the
interview data (``babel.cfg``) — and ``firstcontact-survivor`` — the person's: ``survivor.toml``
(``babel-survivor.cfg``). Each has a template ``translations/<domain>.pot`` and, per language,
``translations/<lang>/LC_MESSAGES/<domain>.po``.

    python translations/catalogs.py extract        # write both templates
    python translations/catalogs.py update         # templates, then merge them into every .po
    python translations/catalogs.py compile [DIR]  # .po -> DIR/<lang>/LC_MESSAGES/<domain>.mo
    python translations/catalogs.py check          # templates up to date? catalogs sound?
"""

from __future__ import annotations

import argparse
import contextlib
import io
import string
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "translations"
LOCALE = ROOT / "src" / "firstcontact" / "locale"
DOMAINS = {"firstcontact": HERE / "babel.cfg", "firstcontact-survivor": HERE / "babel-survivor.cfg"}
KEYWORDS = ["-k", "N_", "-k", "ngettext:1,2", "-k", "pgettext:1c,2", "-k", "npgettext:1c,2,3"]
# A catalog's review status: a line of its header comment ("# X-Translation-Status: reviewed"
# or "needs review"), compiled beside the .mo as <domain>.status (firstcontact.i18n reads it).
STATUS = "X-Translation-Status"
STATUSES = ("reviewed", "needs review")


def template(domain: str) -> Path:
    return HERE / f"{domain}.pot"


def catalogs(domain: str | None = None) -> list[Path]:
    pattern = f"*/LC_MESSAGES/{domain or '*'}.po"
    return sorted(HERE.glob(pattern))


def extract(domain: str, out: Path) -> None:
    """Extract ``domain``'s strings from the code and the data into ``out`` (a .pot); an
    unchanged template is left as it is (its creation date too)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / out.name
        with contextlib.chdir(ROOT):  # (the template names files from the project's root)
            CommandLineInterface().run([
                "pybabel", "--quiet", "extract", "-F", str(DOMAINS[domain]), *KEYWORDS,
                "--add-comments=Translators:", "--no-wrap", "--project=firstcontact",
                "--copyright-holder=firstcontact", "-o", str(fresh), "."])
        if out.exists() and _comparable(_read(out)) == _comparable(_read(fresh)):
            return
        out.write_bytes(fresh.read_bytes())


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def _comparable(catalog: Catalog, *, lines: bool = True) -> list[tuple[object, ...]]:
    """What a template says, without its creation date (and without line numbers when
    ``lines`` is false: a string that only moved down its file is still the same string)."""
    return [(m.id, m.context, tuple(m.auto_comments),
             tuple(m.locations) if lines else tuple(sorted({f for f, _n in m.locations})))
            for m in catalog]


def update() -> None:
    for domain in DOMAINS:
        extract(domain, template(domain))
        pot = _read(template(domain))
        for po in catalogs(domain):
            catalog = _read(po)
            catalog.update(pot, no_fuzzy_matching=True)
            with po.open("wb") as f:
                write_po(f, catalog, width=0, omit_header=False)


def review_status(catalog: Catalog) -> str:
    """The status its header comment gives ("" when it gives none)."""
    for line in catalog.header_comment.splitlines():
        name, _sep, value = line.lstrip("# ").partition(":")
        if name.strip() == STATUS:
            return value.strip().lower()
    return ""


def compile_all(out: Path = LOCALE) -> list[Path]:
    """Compile every catalog into ``out``, each with its review status beside it; fuzzy
    entries are left out, as babel does."""
    written = []
    for po in catalogs():
        lang, domain = po.parent.parent.name, po.stem
        catalog = _read(po)
        target = out / lang / "LC_MESSAGES" / f"{domain}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        for path, data in ((target, buffer.getvalue()),
                           (target.with_suffix(".status"),
                            (review_status(catalog) or "needs review").encode())):
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
        written += [target, target.with_suffix(".status")]
    return written


def _fields(text: str) -> set[str]:
    try:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text)
                if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def problems_in(po: Path) -> list[str]:
    """What is wrong with a catalog: placeholders that differ from the source's (a missing
    ``{name}`` raises when the text is formatted), and a review status it must carry."""
    out = []
    try:
        catalog = _read(po)
    except Exception as exc:  # any parse error is the finding
        return [f"{po}: cannot be read ({type(exc).__name__}: {exc})"]
    if review_status(catalog) not in STATUSES:
        out.append(f"{po}: its header comment needs a line '# {STATUS}: reviewed' or "
                   f"'# {STATUS}: needs review'")
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(_fields(i) for i in ids))
        for translated in strings:
            if translated and _fields(translated) != wanted:
                out.append(f"{po}:{message.lineno}: {_where(message)} placeholders "
                           f"{sorted(_fields(translated))} differ from {sorted(wanted)}")
    return out


def _where(message: Message) -> str:
    return f"[{message.context}]" if message.context else ""


def check() -> list[str]:
    """Every problem: a template out of date with the code or the data, a catalog not merged
    with its template, a catalog with format errors."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for domain in DOMAINS:
            fresh = Path(tmp) / f"{domain}.pot"
            extract(domain, fresh)
            if not template(domain).exists():
                out.append(f"{template(domain)} is missing: run `make translations`")
                continue
            if _comparable(_read(fresh), lines=False) != \
                    _comparable(_read(template(domain)), lines=False):
                out.append(f"{template(domain).relative_to(ROOT)} is out of date with the "
                           "code or the data: run `make translations`")
            source = {(m.id, m.context) for m in _read(fresh) if m.id}
            for po in catalogs(domain):
                held = {(m.id, m.context) for m in _read(po) if m.id}  # (obsolete ones are apart)
                if source - held:
                    out.append(f"{po.relative_to(ROOT)} lacks {len(source - held)} of the "
                               "template's strings: run `make translations`")
    for po in catalogs():
        out += problems_in(po)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["extract", "update", "compile", "check"])
    parser.add_argument("out", nargs="?", type=Path, default=LOCALE,
                        help="compile: where the compiled catalogs go")
    args = parser.parse_args()
    if args.action == "extract":
        for domain in DOMAINS:
            extract(domain, template(domain))
    elif args.action == "update":
        update()
    elif args.action == "compile":
        compile_all(args.out)
    else:
        found = check()
        for line in found:
            print(line, file=sys.stderr)
        if found:
            return 1
        print("translations: templates up to date, catalogs sound")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the packaged build carries besides Python modules, worked out from the source tree.

Used by ``firstcontact.spec`` (PyInstaller) and by the tests, so the list is checked without
running a build:

- the package data the wheel carries: the patterns of ``[tool.setuptools.package-data]`` in
  pyproject.toml (checklists and their schemas, the NRM form and lists, referral data, fonts,
  both sets of alembic migrations, every compiled catalog ``locale/*/LC_MESSAGES/*.mo``), so the
  build and ``pip install`` never disagree;
- catalogs compiled here from ``translations/<lang>/LC_MESSAGES/<domain>.po`` (compiled
  catalogs are never committed by hand; a freshly compiled one replaces a stale copy);
- the SQLCipher library the ``sqlcipher3-binary`` wheel ships beside its extension module;
- the desktop files (``share/``): the .desktop entry, the AppStream metainfo, the icons.
"""

from __future__ import annotations

import glob
import importlib.util
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "firstcontact"
APP_ID = "org.firstcontact.FirstContact"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

Pair = tuple[str, str]  # (source file, folder inside the build), as PyInstaller takes them


def _package_patterns(root: Path) -> list[str]:
    with (root / "pyproject.toml").open("rb") as f:
        config = tomllib.load(f)
    patterns: list[str] = config["tool"]["setuptools"]["package-data"][PACKAGE]
    return patterns


def package_data(root: Path = ROOT) -> list[Pair]:
    """Every file the wheel's package-data patterns match, at the same place in the build."""
    package_dir = root / "src" / PACKAGE
    found: dict[str, Pair] = {}
    for pattern in _package_patterns(root):
        for name in sorted(glob.glob(str(package_dir / pattern))):
            path = Path(name)
            if path.is_file():
                relative = path.parent.relative_to(package_dir)
                found[str(path)] = (str(path), str(Path(PACKAGE) / relative))
    return list(found.values())


def compile_catalogs(root: Path = ROOT, out: Path | None = None) -> list[Pair]:
    """Compile every ``translations/<lang>/LC_MESSAGES/<domain>.po`` into ``out`` (default:
    ``build/catalogs``) with its review status beside it, as ``make catalogs`` does
    (``translations/catalogs.py``), for ``firstcontact/locale/<lang>/LC_MESSAGES/`` in the
    build."""
    spec = importlib.util.spec_from_file_location("firstcontact_catalogs",
                                                  root / "translations" / "catalogs.py")
    if spec is None or spec.loader is None:
        raise SystemExit("translations/catalogs.py is missing")
    catalogs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalogs)
    written: list[Path] = catalogs.compile_all(out or root / "build" / "catalogs")
    return [(str(path), f"{PACKAGE}/locale/{path.parent.parent.name}/LC_MESSAGES")
            for path in written]


def datas(root: Path = ROOT, catalogs_out: Path | None = None) -> list[Pair]:
    """Package data plus freshly compiled catalogs (which win over a committed copy)."""
    compiled = compile_catalogs(root, catalogs_out)
    fresh = {(dest, Path(src).name) for src, dest in compiled}
    kept = [(src, dest) for src, dest in package_data(root)
            if (dest, Path(src).name) not in fresh]
    return kept + compiled


def sqlcipher_binaries() -> list[Pair]:
    """The SQLCipher extension and the libraries its wheel vendors (``sqlcipher3_binary.libs``
    on Linux: OpenSSL's libcrypto under a hashed name). Elsewhere (a sqlcipher3 built against
    the system's libsqlcipher) PyInstaller finds the library through the extension's links."""
    spec = importlib.util.find_spec("sqlcipher3")
    if spec is None or spec.origin is None:
        raise SystemExit("sqlcipher3 is not installed: run `make package` from the project")
    package = Path(spec.origin).parent
    pairs = [(name, "sqlcipher3") for name in glob.glob(str(package / "_sqlite3*"))]
    for libs in (package.parent / "sqlcipher3_binary.libs", package.parent / "sqlcipher3.libs"):
        pairs += [(name, libs.name) for name in sorted(glob.glob(str(libs / "*.so*")))]
    return pairs


def share_files(root: Path = ROOT, icons: Path | None = None) -> list[Pair]:
    """The desktop entry, the AppStream metainfo and the icons, under ``share/`` as a Linux
    desktop expects them (``packaging/linux/install.sh`` copies them into place)."""
    linux = root / "packaging" / "linux"
    icons = icons or root / "build" / "icons"
    pairs = [(str(linux / f"{APP_ID}.desktop"), "share/applications"),
             (str(linux / f"{APP_ID}.metainfo.xml"), "share/metainfo"),
             (str(root / "packaging" / "icon" / f"{APP_ID}.svg"),
              "share/icons/hicolor/scalable/apps")]
    pairs += [(str(icons / f"{size}x{size}" / f"{APP_ID}.png"),
               f"share/icons/hicolor/{size}x{size}/apps") for size in ICON_SIZES]
    pairs.append((str(linux / "install.sh"), "."))
    return pairs

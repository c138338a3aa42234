"""What the packaged build carries, checked without building it (packaging/pyinstaller/bundle.py
is what the spec uses): the wheel's package data, catalogs compiled from .po files, the
SQLCipher library, the desktop entry, the AppStream metainfo and the icons."""

import gettext
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.package import REPO, bundle

PACKAGING = REPO / "packaging"


def _destinations(pairs):
    return {str(Path(dest) / Path(src).name) for src, dest in pairs}


def test_the_build_carries_what_the_app_reads_at_run_time():
    carried = _destinations(bundle.package_data())
    for needed in ("firstcontact/checklists/interview.toml",
                   "firstcontact/checklists/criteria.toml",
                   "firstcontact/checklists/evidence.toml",
                   "firstcontact/checklists/schema/interview.schema.json",
                   "firstcontact/checklists/nrm/nrm-form.json",
                   "firstcontact/checklists/nrm/lists/organisations.json",
                   "firstcontact/referral/destinations.toml",
                   "firstcontact/referral/fonts/NotoSansArabic-Regular.ttf",
                   "firstcontact/referral/fonts/NotoSansEthiopic-Bold.ttf",
                   "firstcontact/store/migrations/env.py",
                   "firstcontact/hub/migrations/env.py"):
        assert needed in carried, needed
    source = REPO / "src"
    for migrations in ("store", "hub"):
        versions = {f"{p.relative_to(source)}" for p in
                    (source / "firstcontact" / migrations / "migrations" / "versions").glob("*.py")}
        assert versions and versions <= carried, migrations
    # every committed compiled catalog, whatever languages and domains exist
    for mo in (source / "firstcontact" / "locale").glob("*/LC_MESSAGES/*.mo"):
        assert str(mo.relative_to(source)) in carried


def _write_po(path: Path, lang: str, translated: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(f'''msgid ""
msgstr ""
"Language: {lang}\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Unlock"
msgstr "{translated}"

#, fuzzy
msgid "Quick exit"
msgstr "Not reviewed yet"
''', encoding="utf-8")


def test_catalogs_are_compiled_from_the_po_files_at_build_time(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    _write_po(root / "translations" / "cy" / "LC_MESSAGES" / "firstcontact.po", "cy", "Datgloi")
    _write_po(root / "translations" / "ro" / "LC_MESSAGES" / "survivor.po", "ro", "Deblocare")
    shutil.copy(REPO / "translations" / "catalogs.py", root / "translations" / "catalogs.py")
    # a stale compiled copy in the package is replaced by the fresh one
    stale = root / "src" / "firstcontact" / "locale" / "cy" / "LC_MESSAGES" / "firstcontact.mo"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"stale")

    pairs = bundle.datas(root, tmp_path / "out")

    assert _destinations(pairs) >= {"firstcontact/locale/cy/LC_MESSAGES/firstcontact.mo",
                                    "firstcontact/locale/cy/LC_MESSAGES/firstcontact.status",
                                    "firstcontact/locale/ro/LC_MESSAGES/survivor.mo"}
    assert str(stale) not in {src for src, _dest in pairs}
    compiled = {Path(src).parent.parent.name + "/" + Path(src).name: src
                    for src, _dest in pairs if src.endswith(".mo")}
    with open(compiled["cy/firstcontact.mo"], "rb") as f:
        welsh = gettext.GNUTranslations(f)
    assert welsh.gettext("Unlock") == "Datgloi"
    assert welsh.gettext("Quick exit") == "Quick exit"  # fuzzy: not shipped, as pybabel does
    with open(compiled["ro/survivor.mo"], "rb") as f:
        assert gettext.GNUTranslations(f).gettext("Unlock") == "Deblocare"


def test_the_sqlcipher_library_of_the_wheel_is_carried():
    names = [Path(src).name for src, _dest in bundle.sqlcipher_binaries()]
    assert any(name.startswith("_sqlite3") for name in names)
    if sys.platform == "linux":  # the binary wheel vendors OpenSSL's libcrypto beside it
        assert any(name.startswith("libcrypto") for name in names)


def test_the_desktop_files_exist_and_name_the_same_app():
    from firstcontact.ui.application import APP_ID  # what the app tells Wayland it is

    assert APP_ID == bundle.APP_ID
    pairs = bundle.share_files(REPO, icons=Path("/rendered"))
    for src, _dest in pairs:
        if not src.startswith("/rendered"):
            assert Path(src).is_file(), src
    desktop = (PACKAGING / "linux" / f"{bundle.APP_ID}.desktop").read_text()
    assert f"Icon={bundle.APP_ID}\n" in desktop
    assert "Exec=firstcontact\n" in desktop
    metainfo = (PACKAGING / "linux" / f"{bundle.APP_ID}.metainfo.xml").read_text()
    assert f"<id>{bundle.APP_ID}</id>" in metainfo
    assert f'<launchable type="desktop-id">{bundle.APP_ID}.desktop</launchable>' in metainfo


@pytest.mark.skipif(shutil.which("appstreamcli") is None,
                    reason="appstreamcli missing (Debian's appstream: make deps installs it)")
def test_the_appstream_metainfo_is_valid():
    result = subprocess.run(["appstreamcli", "validate", "--no-net", "--explain",
                             str(PACKAGING / "linux" / f"{bundle.APP_ID}.metainfo.xml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate missing (Debian's desktop-file-utils: make "
                           "deps installs it)")
def test_the_desktop_entry_is_valid():
    result = subprocess.run(["desktop-file-validate",
                             str(PACKAGING / "linux" / f"{bundle.APP_ID}.desktop")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_icon_renders_at_every_size(tmp_path):
    subprocess.run([sys.executable, str(PACKAGING / "icon" / "render.py"), str(tmp_path)],
                   check=True, capture_output=True)
    for size in bundle.ICON_SIZES:
        png = tmp_path / f"{size}x{size}" / f"{bundle.APP_ID}.png"
        assert _png_size(png) == (size, size)
    assert (tmp_path / f"{bundle.APP_ID}.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (tmp_path / f"{bundle.APP_ID}.icns").read_bytes()[:4] == b"icns"

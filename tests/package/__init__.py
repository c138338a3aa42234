"""The packaged build: what it carries (packaging/pyinstaller/bundle.py) and the built app."""

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "firstcontact_bundle", REPO / "packaging" / "pyinstaller" / "bundle.py")
assert _spec is not None and _spec.loader is not None
bundle = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bundle
_spec.loader.exec_module(bundle)

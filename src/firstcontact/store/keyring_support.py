"""The OS keyring, for convenience secrets only (e.g. a sync device token) — never the data key,
never needed to decrypt. A backend is trusted only if it is not a plaintext or low-priority one
and a set/get/delete round trip works; otherwise the app works passphrase-only and says so once.
"""

from __future__ import annotations

import secrets
from typing import Any

import keyring

from firstcontact.i18n import _

SERVICE = "firstcontact"
NO_KEYRING_NOTICE = "No secure system keyring: the app works with your passphrase only."
_UNTRUSTED_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def is_trusted_backend(backend: Any) -> bool:
    module = type(backend).__module__
    if any(module == m or module.startswith(m + ".") for m in _UNTRUSTED_MODULES):
        return False
    try:
        priority = float(backend.priority)
    except Exception:  # a backend that cannot say how good it is is not trusted
        return False
    if priority < 1:
        return False
    probe_user, probe_secret = f"probe-{secrets.token_hex(8)}", secrets.token_hex(16)
    try:
        backend.set_password(SERVICE, probe_user, probe_secret)
        ok = secrets.compare_digest(backend.get_password(SERVICE, probe_user) or "", probe_secret)
        backend.delete_password(SERVICE, probe_user)
        return ok and backend.get_password(SERVICE, probe_user) is None
    except Exception:  # any failure of the round trip: not a keyring to trust
        return False


class KeyringStatus:
    """Which keyring to use, decided once; the notice is given once."""

    def __init__(self, backend: Any | None = None) -> None:
        candidate = backend if backend is not None else keyring.get_keyring()
        self.backend = candidate if is_trusted_backend(candidate) else None
        self._noticed = False

    @property
    def available(self) -> bool:
        return self.backend is not None

    def notice_once(self) -> str | None:
        if self.available or self._noticed:
            return None
        self._noticed = True
        return _(NO_KEYRING_NOTICE)

"""The organisation's private sync key, wrapped for one supervisor's device.

``"FCK1" | organisation public key (1216 bytes) | HPKE ciphertext`` — the 96 private bytes
sealed (the envelopes' suite) to the device's receiving key, the organisation public key bound
in through ``info``. The hub keeps these copies (``firstcontact-hub org-key list|add|remove``)
and cannot open them: only the device's receiving private key, kept in its encrypted store,
does. A device that opened its copy keeps the key in its encrypted store.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag

from firstcontact.sync.envelope import SUITE
from firstcontact.sync.keys import KEM_PUBLIC_BYTES, KemKeyPair, KemPublicKey, KeyFormatError
from firstcontact.sync.wire import PROTOCOL

MAGIC = b"FCK1"
_INFO = f"{PROTOCOL} org key copy\0".encode()


class OrgKeyCopyError(ValueError):
    """Not a copy of the organisation key for this device."""


def wrap_for_device(org: KemKeyPair, device: KemPublicKey) -> bytes:
    return MAGIC + org.public.raw + SUITE.encrypt(org.private_bytes(), device.hpke(),
                                                  info=_INFO + org.public.raw)


def copy_public_key(blob: bytes) -> KemPublicKey:
    """Which organisation key a copy holds (no key needed)."""
    if not blob.startswith(MAGIC) or len(blob) <= len(MAGIC) + KEM_PUBLIC_BYTES:
        raise OrgKeyCopyError("not a copy of the organisation key")
    try:
        return KemPublicKey(blob[len(MAGIC):len(MAGIC) + KEM_PUBLIC_BYTES])
    except KeyFormatError:
        raise OrgKeyCopyError("not a copy of the organisation key") from None


def unwrap(blob: bytes, receiving: KemKeyPair, expected: KemPublicKey) -> KemKeyPair:
    """The organisation key pair, if ``blob`` holds the expected one sealed to ``receiving``."""
    public = copy_public_key(blob)
    if public != expected:
        raise OrgKeyCopyError("the copy holds another organisation's key")
    try:
        private = SUITE.decrypt(blob[len(MAGIC) + KEM_PUBLIC_BYTES:], receiving.hpke(),
                                info=_INFO + public.raw)
        pair = KemKeyPair(private)
    except (InvalidTag, ValueError, KeyFormatError):
        raise OrgKeyCopyError("the copy does not open with this device's key") from None
    if pair.public != expected:
        raise OrgKeyCopyError("the copy holds another organisation's key")
    return pair

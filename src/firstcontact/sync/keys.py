"""Key pairs of the sync protocol.

- A **KEM key pair** (HPKE, hybrid ML-KEM-768 + X25519): the organisation's sync key, to which
  every case snapshot is sealed, and each device's receiving key (issue 14 seals reviews and
  wrapped copies of the organisation key to it). Public half: ML-KEM-768 encapsulation key
  (1184 bytes) || X25519 public key (32 bytes). Private half: ML-KEM-768 seed (64 bytes) ||
  X25519 private key (32 bytes).
- A device's **Ed25519 signing key**: every envelope it seals is signed, and the hub checks the
  signature against the verify key registered at enrolment.
- **Fingerprints** to read aloud and compare: SHA-256 over a label and the public bytes, the
  first 20 bytes in ten groups of four hex digits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.hpke import MLKEM768X25519PrivateKey, MLKEM768X25519PublicKey

MLKEM_PUBLIC_BYTES = 1184
MLKEM_SEED_BYTES = 64
X25519_BYTES = 32
KEM_PUBLIC_BYTES = MLKEM_PUBLIC_BYTES + X25519_BYTES
KEM_PRIVATE_BYTES = MLKEM_SEED_BYTES + X25519_BYTES
ED25519_BYTES = 32


class KeyFormatError(ValueError):
    """Key bytes of the wrong length or form."""


def fingerprint(public_bytes: bytes, label: str) -> str:
    """``"a1b2 c3d4 …"``: ten groups of four hex digits of SHA-256(label || 0 || key)."""
    digest = hashlib.sha256(label.encode("ascii") + b"\0" + public_bytes).hexdigest()[:40]
    return " ".join(digest[i:i + 4] for i in range(0, 40, 4))


ORG_KEY_LABEL = "firstcontact org sync key"
HUB_KEY_LABEL = "firstcontact hub signing key"
DEVICE_KEY_LABEL = "firstcontact device key"


@dataclass(frozen=True)
class KemPublicKey:
    """The public half of a hybrid ML-KEM-768 + X25519 HPKE key."""

    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != KEM_PUBLIC_BYTES:
            raise KeyFormatError("a sync public key has 1216 bytes")
        self.hpke()  # refuse bytes that are not a valid key now, not at first use

    def hpke(self) -> MLKEM768X25519PublicKey:
        try:
            return MLKEM768X25519PublicKey(
                mlkem.MLKEM768PublicKey.from_public_bytes(self.raw[:MLKEM_PUBLIC_BYTES]),
                x25519.X25519PublicKey.from_public_bytes(self.raw[MLKEM_PUBLIC_BYTES:]))
        except ValueError:
            raise KeyFormatError("not a sync public key") from None

    def fingerprint(self, label: str = ORG_KEY_LABEL) -> str:
        return fingerprint(self.raw, label)


class KemKeyPair:
    """A hybrid ML-KEM-768 + X25519 key pair; ``private_bytes`` is what gets wrapped."""

    def __init__(self, private_raw: bytes) -> None:
        if len(private_raw) != KEM_PRIVATE_BYTES:
            raise KeyFormatError("a sync private key has 96 bytes")
        self._mlkem = mlkem.MLKEM768PrivateKey.from_seed_bytes(private_raw[:MLKEM_SEED_BYTES])
        self._x25519 = x25519.X25519PrivateKey.from_private_bytes(private_raw[MLKEM_SEED_BYTES:])
        self._private_raw = bytes(private_raw)
        self.public = KemPublicKey(self._mlkem.public_key().public_bytes_raw()
                                   + self._x25519.public_key().public_bytes_raw())

    @classmethod
    def generate(cls) -> KemKeyPair:
        return cls(mlkem.MLKEM768PrivateKey.generate().private_bytes_raw()
                   + x25519.X25519PrivateKey.generate().private_bytes_raw())

    def private_bytes(self) -> bytes:
        return self._private_raw

    def hpke(self) -> MLKEM768X25519PrivateKey:
        return MLKEM768X25519PrivateKey(self._mlkem, self._x25519)

    def __repr__(self) -> str:  # never the private bytes
        return f"KemKeyPair({self.public.fingerprint()})"


def signing_key_from_bytes(raw: bytes) -> Ed25519PrivateKey:
    if len(raw) != ED25519_BYTES:
        raise KeyFormatError("a signing key has 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


def verify_key_from_bytes(raw: bytes) -> Ed25519PublicKey:
    if len(raw) != ED25519_BYTES:
        raise KeyFormatError("a verify key has 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def signing_key_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes_raw()


def verify_key_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes_raw()


@dataclass(frozen=True)
class DeviceKeys:
    """What a laptop generates before enrolling: its envelope signing key and its receiving
    key. The caller keeps both private halves in its encrypted store."""

    signing_raw: bytes
    receiving: KemKeyPair

    @classmethod
    def generate(cls) -> DeviceKeys:
        return cls(Ed25519PrivateKey.generate().private_bytes_raw(), KemKeyPair.generate())

    @property
    def signing_key(self) -> Ed25519PrivateKey:
        return signing_key_from_bytes(self.signing_raw)

    @property
    def verify_raw(self) -> bytes:
        return verify_key_bytes(self.signing_key.public_key())

    def __repr__(self) -> str:
        return f"DeviceKeys({fingerprint(self.verify_raw, DEVICE_KEY_LABEL)})"

"""Padding a plaintext before sealing, so an envelope's size tells little about its content.

Scheme (docs/sync-protocol.md): ``u32 big-endian length || plaintext || zero bytes`` up to a
total of ``padme(max(4 + len(plaintext), 4096))``. Padmé (Nikitin et al., "Reducing Metadata
Leakage from Encrypted Files and Communication with PURBs", PETS 2019) rounds a length L up so
that only the top ``floor(log2 log2 L) + 1`` bits of it stay free: at most 12 % overhead, and a
size reveals O(log log L) bits instead of O(log L). The 4 KiB floor makes every short case look
alike.
"""

from __future__ import annotations

import struct

MIN_PADDED = 4096
_LENGTH = struct.Struct(">I")


class PaddingError(ValueError):
    """The padded plaintext is not in the expected form."""


def padme(length: int) -> int:
    """The Padmé bucket for ``length`` (≥ 2)."""
    exponent = length.bit_length() - 1
    mantissa_bits = exponent.bit_length()
    mask = (1 << (exponent - mantissa_bits)) - 1
    return (length + mask) & ~mask


def padded_size(plaintext_length: int) -> int:
    return padme(max(_LENGTH.size + plaintext_length, MIN_PADDED))


def pad(plaintext: bytes) -> bytes:
    total = padded_size(len(plaintext))
    return _LENGTH.pack(len(plaintext)) + plaintext + bytes(total - _LENGTH.size - len(plaintext))


def unpad(padded: bytes) -> bytes:
    if len(padded) < _LENGTH.size:
        raise PaddingError("padded plaintext too short")
    (length,) = _LENGTH.unpack_from(padded)
    end = _LENGTH.size + length
    if end > len(padded) or len(padded) != padded_size(length) or any(padded[end:]):
        raise PaddingError("padding does not match")
    return padded[_LENGTH.size:end]

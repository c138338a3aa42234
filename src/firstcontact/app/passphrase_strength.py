"""A rough, honest estimate of a new passphrase's strength, for feedback while it is typed.

No dictionary is shipped: the estimate counts length and character variety and penalises
repeats, runs and very common choices. It is feedback, not a guarantee.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from firstcontact.i18n import N_

MIN_LENGTH = 10
_COMMON = ("password", "passphrase", "qwerty", "letmein", "iloveyou", "123456", "abc123",
           "welcome", "firstcontact", "admin")
LEVELS = (N_("Too short"), N_("Weak"), N_("Fair"), N_("Good"), N_("Strong"))


@dataclass(frozen=True)
class Strength:
    score: int  # 0 too short, 1 weak, 2 fair, 3 good, 4 strong
    label: str  # untranslated (N_); translate where shown
    bits: float

    @property
    def acceptable(self) -> bool:
        return self.score >= 2


def _alphabet(text: str) -> int:
    size = 0
    if any(c.islower() for c in text):
        size += 26
    if any(c.isupper() for c in text):
        size += 26
    if any(c.isdigit() for c in text):
        size += 10
    if any(c.isspace() for c in text):
        size += 1
    if any(not c.isalnum() and not c.isspace() for c in text):
        size += 33
    if any(ord(c) > 127 for c in text):
        size += 100
    return max(size, 1)


def _effective_length(text: str) -> float:
    """Length with repeats and simple runs (aaaa, abcd, 1234) counted at a quarter."""
    length = 0.0
    for i, c in enumerate(text):
        if i == 0:
            length += 1
            continue
        step = ord(c) - ord(text[i - 1])
        length += 0.25 if step in (-1, 0, 1) else 1.0
    return length


def assess(passphrase: str) -> Strength:
    if len(passphrase) < MIN_LENGTH:
        return Strength(0, LEVELS[0], 0.0)
    lowered = passphrase.lower()
    bits = _effective_length(passphrase) * math.log2(_alphabet(passphrase))
    if any(word in lowered for word in _COMMON):
        bits /= 2
    words = len([w for w in passphrase.split() if len(w) >= 3])
    if words >= 4:
        bits = max(bits, 70.0)
    score = 1 if bits < 45 else 2 if bits < 60 else 3 if bits < 80 else 4
    return Strength(score, LEVELS[score], bits)

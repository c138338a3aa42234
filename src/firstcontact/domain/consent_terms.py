"""The words a consent decision is recorded in: its states and why a person was not asked.

Kept apart from `domain.case` (which they are re-exported from) so that the command line's
`--help` can offer them as choices without loading the interview model.
"""

from __future__ import annotations

from typing import Literal

ConsentState = Literal["given", "declined", "withdrawn", "not-sought"]
CONSENT_STATES: tuple[ConsentState, ...] = ("given", "declined", "withdrawn", "not-sought")
# Why a person could not be asked (consent "not-sought"): what the rules and packs may say.
NotSoughtReason = Literal["left", "lacks-capacity", "unsafe-to-ask"]
NOT_SOUGHT_REASONS: tuple[NotSoughtReason, ...] = ("left", "lacks-capacity", "unsafe-to-ask")

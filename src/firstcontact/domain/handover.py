"""How a survivor copy reaches the person, once the worker judged it safe for them to have one:
given now, kept by the organisation for them to collect later, or sent to a safe address they
gave. (No imports: the command line offers these as choices before loading anything.)"""

from __future__ import annotations

from typing import Literal

Handover = Literal["now", "later", "safe-address"]
HANDOVERS: tuple[Handover, ...] = ("now", "later", "safe-address")

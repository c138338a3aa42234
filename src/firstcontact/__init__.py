"""firstcontact: guided, trauma-informed initial response and referral (SFJ BE2)."""

__version__ = "0.1.0"

"""The organisation's sync hub (``firstcontact-hub``): it stores sealed envelopes it cannot
open, signs receipts for them, and enrols devices. See docs/sync-protocol.md."""

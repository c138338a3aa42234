"""The hub's tables (the same on SQLite and PostgreSQL). Nothing here holds case content: an
envelope's body is ciphertext, its other columns are the plaintext header fields.

For supervisors (migration 0002): ``hub_cases`` (each case's owning device: the first to
push it, until a supervisor hands it over), ``hub_records`` (reviews and handovers sealed to the
organisation key and a device, export reports, the hub's own notices), ``hub_org_key_copies``
(the organisation key wrapped to a supervisor device's receiving key, which the hub cannot
open), ``hub_wipe_orders`` (hub-signed orders delivered at the next contact) and
``hub_org_settings`` (the organisation's settings, signed by the hub).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# A BIGINT primary key that SQLite still treats as its rowid (so it counts up by itself).
SEQ = BigInteger().with_variant(Integer(), "sqlite")
UUID_LEN = 36

devices = Table(
    "hub_devices", metadata,
    Column("device_id", String(UUID_LEN), primary_key=True),
    Column("worker", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("verify_key", LargeBinary, nullable=False),
    Column("receiving_key", LargeBinary, nullable=False),
    Column("enrolled_at", String(32), nullable=False),
    Column("last_seen_at", String(32)),
    # active | retired (pushes accepted until retire_until) | revoked (issue 14)
    Column("state", String(20), nullable=False, server_default="active"),
    Column("retire_until", String(32)),
    Column("pending_count", Integer),  # what the device last said waits to be sent
    Column("org_key_state", String(20)),  # supervisors: awaiting-copy | held | removed
    Column("revoked_at", String(32)),
)

enrolments = Table(
    "hub_enrolments", metadata,
    Column("id", SEQ, primary_key=True, autoincrement=True),
    Column("lookup", String(8), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False),
    Column("worker", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("failed_tries", Integer, nullable=False, server_default="0"),
    Column("used_at", String(32)),
    Column("device_id", String(UUID_LEN)),
    # a supervisor's code may carry the organisation key wrapped under the code itself, until
    # the code is used (then the device wraps it to its own key) or expires
    Column("org_key_wrapped", LargeBinary),
)

envelopes = Table(
    "hub_envelopes", metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=True),
    Column("envelope_id", String(UUID_LEN), nullable=False, unique=True),
    Column("case_id", String(UUID_LEN), nullable=False),
    Column("device_id", String(UUID_LEN), ForeignKey("hub_devices.device_id"), nullable=False),
    Column("rev", BigInteger, nullable=False),
    Column("base_rev", BigInteger, nullable=False),
    Column("sealed_at", String(32), nullable=False),
    Column("padded_size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("stored_at", String(32), nullable=False),
    Column("body", LargeBinary, nullable=False),
    # a revision that clashes with one already held, or follows a base older than the newest
    # the hub holds, is kept beside it — never refused, never overwritten — and flagged
    Column("variant", Integer, nullable=False, server_default="0"),
    Column("flag", String(20)),  # None | revision-clash | stale-base
    UniqueConstraint("case_id", "device_id", "rev", "variant",
                     name="uq_hub_envelopes_case_device_rev_variant"),
)

cases = Table(
    "hub_cases", metadata,
    Column("case_id", String(UUID_LEN), primary_key=True),
    Column("owner_device", String(UUID_LEN), ForeignKey("hub_devices.device_id"),
           nullable=False),
    Column("since", String(32), nullable=False),
)

records = Table(
    "hub_records", metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=True),
    Column("record_id", String(UUID_LEN), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("case_id", String(UUID_LEN), nullable=False),
    Column("author_device", String(UUID_LEN)),  # None: the hub wrote it
    Column("to_device", String(UUID_LEN)),
    Column("sha256", String(64), nullable=False),
    Column("stored_at", String(32), nullable=False),
    Column("body", LargeBinary, nullable=False),
)

org_settings = Table(
    "hub_org_settings", metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=True),
    Column("issued_at", String(32), nullable=False),
    Column("body", LargeBinary, nullable=False),  # JSON: {"doc": …, "signature": …}
)

audit = Table(
    "hub_audit", metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(50), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

org_key_copies = Table(
    "hub_org_key_copies", metadata,
    Column("device_id", String(UUID_LEN), ForeignKey("hub_devices.device_id"),
           primary_key=True),
    Column("wrapped", LargeBinary, nullable=False),
    Column("created_at", String(32), nullable=False),
)

wipe_orders = Table(
    "hub_wipe_orders", metadata,
    Column("id", SEQ, primary_key=True, autoincrement=True),
    Column("device_id", String(UUID_LEN), ForeignKey("hub_devices.device_id"), nullable=False),
    Column("ordered_at", String(32), nullable=False),
    Column("signed_order", LargeBinary, nullable=False),
    Column("delivered_at", String(32)),
)

"""The hub's tables (the same on SQLite and PostgreSQL). Nothing here holds case content: an
envelope's body is ciphertext, its other columns are the plaintext header fields.

Tables for the supervisors' issue are created now so that it needs no data migration:
``hub_org_key_copies`` (the organisation key wrapped to a supervisor device's receiving key,
which the hub cannot open) and ``hub_wipe_orders`` (hub-signed orders delivered at next contact).
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
    UniqueConstraint("case_id", "device_id", "rev", name="uq_hub_envelopes_case_device_rev"),
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

"""The migrations build exactly the tables the ORM models describe: a model changed without
a migration (or the reverse) fails here, not on a worker's laptop at unlock."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from firstcontact.store import migrate
from firstcontact.store.models import Base


def test_the_head_revision_equals_the_models(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": False})
        differences = compare_metadata(context, Base.metadata)
    assert migrate.current_revision(engine) == migrate.HEAD
    assert differences == []

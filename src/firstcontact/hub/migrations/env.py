"""Alembic environment of the hub (separate from the desktop store's): run by the hub with an
open connection, never by a shell wrapper."""

from alembic import context

from firstcontact.hub.models import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()

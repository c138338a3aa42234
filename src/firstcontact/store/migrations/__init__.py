"""Alembic migrations, applied by the app itself at every unlock."""

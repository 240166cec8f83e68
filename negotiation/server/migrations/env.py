"""Alembic's environment for the classroom: migrate the URL set by :func:`negotiation.server.storage.migrate`."""

from __future__ import annotations

from alembic import context

from negotiation.server.storage import make_engine, metadata

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url is not None
engine = make_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()

"""Alembic environment: always run on a connection handed over by annotator.schema."""

from __future__ import annotations

from alembic import context

from annotator.models import Base, declared_on

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
    render_as_batch=connection.dialect.name == "sqlite",
    # An index made for other dialects only is not missing here.
    include_object=lambda item, _name, kind, _reflected, _compare_to: (
        kind != "index" or declared_on(item, connection.dialect)),
)
with context.begin_transaction():
    context.run_migrations()

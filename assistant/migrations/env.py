"""Alembic environment for the assistant's tables (its own version table)."""

from alembic import context

from assistant.tables import Base

VERSION_TABLE = "assistant_alembic_version"

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
    # Both packages share one database: each environment only looks at its own tables.
    include_name=lambda name, type_, _parents: type_ != "table" or name in Base.metadata.tables,
)
with context.begin_transaction():
    context.run_migrations()

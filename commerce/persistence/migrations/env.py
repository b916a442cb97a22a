"""Alembic environment for the commerce tables (run through database.upgrade_schema)."""

from alembic import context

from commerce.persistence.database import VERSION_TABLE
from commerce.persistence.tables import Base

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

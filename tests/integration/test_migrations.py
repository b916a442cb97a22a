"""The migrations build exactly the tables the code maps, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from assistant.database import upgrade_assistant_schema
from assistant.tables import Base as AssistantBase
from commerce.persistence.database import upgrade_schema
from commerce.persistence.tables import Base as CommerceBase


def test_the_migrated_schema_is_the_mapped_one(empty_engine):
    upgrade_schema(empty_engine)
    upgrade_assistant_schema(empty_engine)
    own = {"commerce": set(CommerceBase.metadata.tables), "assistant": set(AssistantBase.metadata.tables)}
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        for name, metadata in (("commerce", CommerceBase.metadata), ("assistant", AssistantBase.metadata)):
            differences = []
            for change in compare_metadata(context, metadata):
                # each metadata sees the other's tables (and the migration bookkeeping) as extra
                if isinstance(change, tuple) and change[0] in ("remove_table", "remove_index"):
                    table = change[1].name if change[0] == "remove_table" else change[1].table.name
                    if table not in own[name]:
                        continue
                differences.append(change)
            assert differences == [], f"{name}: {differences}"

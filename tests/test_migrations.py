"""Migrations (SD test_alembic.py): ``upgrade head`` builds exactly the models' schema, and every
revision goes down and up again cleanly, on a fresh empty database of each backend."""

import re
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade

from ipcase.core.extensions import db
from tests.conftest import BACKENDS, database_config, drop_database, make_app


@pytest.fixture(params=BACKENDS)
def fresh_app(request, tmp_path_factory):
    """The app on a new, empty database (no tables at all)."""
    config = database_config(request.param, tmp_path_factory, "migrations")
    application = make_app(config)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()
    drop_database(config)


def compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type) -> bool | None:
    """Compare a TypeDecorator (UTCDateTime) by the type it stores as; everything else the default way."""
    if isinstance(metadata_type, sa.types.TypeDecorator):
        impl = metadata_type.load_dialect_impl(context.dialect)
        return context.impl.compare_type(inspected_column, sa.Column(metadata_column.name, impl))
    return None


def schema_differences() -> list[Any]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": compare_type})
        return compare_metadata(context, db.metadata)


def check_constraint_names(conn: sa.Connection) -> dict[str, set[str]]:
    """CHECK constraints by table, as the database holds them."""
    inspector = sa.inspect(conn)
    return {
        table: {c["name"] for c in inspector.get_check_constraints(table)}
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


def model_check_constraint_names(dialect: sa.Dialect) -> dict[str, set[str]]:
    """CHECK constraints by table, as ``create_all`` would create them (names after the convention)."""
    found = {}
    for table in db.metadata.sorted_tables:
        ddl = str(sa.schema.CreateTable(table).compile(dialect=dialect))
        found[table.name] = set(re.findall(r"CONSTRAINT (\w+) CHECK", ddl))
    return found


def fingerprint(conn: sa.Connection) -> dict[str, Any]:
    """Everything the inspector can see of the schema, in comparable form."""
    inspector = sa.inspect(conn)
    result = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        result[table] = {
            "columns": sorted((c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)),
            "pk": inspector.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                for f in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)
            ),
            "uniques": sorted(u["name"] for u in inspector.get_unique_constraints(table)),
            "checks": sorted(c["name"] for c in inspector.get_check_constraints(table)),
        }
    return result


def current_schema() -> dict[str, Any]:
    with db.engine.connect() as conn:
        return fingerprint(conn)


def revisions_base_to_head() -> list[Any]:
    config = current_app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    heads = script.get_heads()
    assert len(heads) == 1, f"several heads: {heads}; merge them"
    return list(reversed(list(script.walk_revisions("base", "heads"))))


def test_database_starts_empty(fresh_app):
    assert current_schema() == {}


def test_upgrade_head_matches_the_models(fresh_app):
    upgrade()
    assert schema_differences() == []
    with db.engine.connect() as conn:
        assert check_constraint_names(conn) == model_check_constraint_names(conn.dialect)


def test_every_revision_goes_down_and_up(fresh_app):
    revisions = revisions_base_to_head()
    assert revisions, "no migrations found"
    schemas = {"base": current_schema()}
    for rev in revisions:
        upgrade(revision=rev.revision)
        schemas[rev.revision] = current_schema()
        assert schemas[rev.revision] != schemas[rev.down_revision or "base"], f"{rev.revision} changed nothing"
    for rev in reversed(revisions):
        downgrade(revision=rev.down_revision or "base")
        previous = rev.down_revision or "base"
        assert current_schema() == schemas[previous], f"downgrade of {rev.revision} did not restore {previous}"
    assert current_schema() == {}
    upgrade()
    assert current_schema() == schemas[revisions[-1].revision]
    assert schema_differences() == []


def test_compare_type_hook_still_sees_real_type_changes(fresh_app):
    """The TypeDecorator hook must not hide differences: a wrong column type is still reported."""
    upgrade()
    column = db.metadata.tables["cases"].c.title
    original = column.type
    column.type = sa.Integer()
    try:
        differences = schema_differences()
    finally:
        column.type = original
    assert any(d[0][0] == "modify_type" and d[0][3] == "title" for d in differences if isinstance(d, list))

"""Storage rules of DESIGN §6 hold on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from grassroots.app import create_app
from grassroots.config import Settings
from grassroots.db import SchemaOutOfDate, code_head, database_revision, make_engine
from grassroots.models import Base


def test_sqlite_pragmas(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout_ms=1234)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234


def test_schema_is_at_head(engine: Engine):
    assert database_revision(engine) == code_head()


def test_migrations_match_models(engine: Engine):
    """Every table and column the code declares is what the migrations built."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_app_refuses_empty_database(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SchemaOutOfDate, match="grassroots init"):
        create_app(Settings(data_dir=tmp_path), engine=engine)


def test_app_refuses_older_schema(fresh_engine: Engine, tmp_path):
    with fresh_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with pytest.raises(SchemaOutOfDate, match="run `grassroots init` to upgrade"):
        create_app(Settings(data_dir=tmp_path), engine=fresh_engine)


def test_psycopg_caches_the_rewrite_of_a_long_statement(engine):
    """A statement longer than psycopg's own limits (4096 bytes, 50 parameters), like the
    one-statement registration, is rewritten ($n placeholders) once, not at every execution
    (db.cache_long_statements)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("psycopg: PostgreSQL only")
    from psycopg import _queries

    names = [f"v{i}_{'x' * 40}" for i in range(120)]
    statement = text("SELECT " + " + ".join(f"CAST(:{n} AS integer)" for n in names))
    params = {n: 1 for n in names}
    assert len(str(statement)) > 4096
    with engine.connect() as conn:
        assert conn.execute(statement, params).scalar_one() == 120
        before = _queries._query2pg.cache_info()
        assert conn.execute(statement, params).scalar_one() == 120
        after = _queries._query2pg.cache_info()
    assert after.hits == before.hits + 1 and after.misses == before.misses

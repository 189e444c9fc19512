"""Engine, sessions, declarative Base, SQLite pragmas and the migration runner."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Column,
    DateTime,
    Dialect,
    Engine,
    Executable,
    MetaData,
    Result,
    Table,
    create_engine,
    event,
    insert,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from grassroots.config import Settings, get_settings
from grassroots.writer import gate_for

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both SQLite (which has no tz) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
    # pysqlite's own transaction handling defeats savepoints and BEGIN IMMEDIATE; take it over
    # (the SQLAlchemy-documented recipe) so that transactions mean what they say.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front: a deferred transaction that upgrades to a
        # write after another writer committed fails at once with SQLITE_BUSY_SNAPSHOT.
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# Connections a process keeps: one per request in flight (the server's thread pool runs 40),
# so that requests do not queue for a connection nor open and close extra ones under load.
# PostgreSQL: per process; N processes keep N times as many (mind max_connections).
POOL = {"sqlite": {"pool_size": 40, "max_overflow": 10},
        "postgresql": {"pool_size": 20, "max_overflow": 20}}  # fmt: skip


def make_engine(url: str, *, busy_timeout_ms: int = 10_000, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs = POOL["sqlite"] | kwargs
        engine = create_engine(url, **kwargs)
        _install_sqlite_pragmas(engine, busy_timeout_ms)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    cache_long_statements()
    return create_engine(url, pool_pre_ping=True, **(POOL["postgresql"] | kwargs))


# psycopg rewrites a statement's %(name)s placeholders as $n on every execution, and caches
# the rewrite only for statements of at most 4096 bytes and 50 parameters (against ORMs'
# multi-row VALUES of ever-changing length). Our statements are SQLAlchemy's compiled ones,
# a fixed set; the one-statement registration on PostgreSQL (cases/intake/keyed.py) is
# 8.4 kB with 150 parameters, and its rewrite cost 311 µs of CPU per case. Multi-row
# inserts of thousands of values stay uncached.
PSYCOPG_CACHED_STATEMENT = {"MAX_CACHED_STATEMENT_LENGTH": 32_768,
                            "MAX_CACHED_STATEMENT_PARAMS": 1_000}  # fmt: skip


def cache_long_statements() -> None:
    from psycopg import _queries  # the limits are module constants, read at each execution

    for name, limit in PSYCOPG_CACHED_STATEMENT.items():
        if not hasattr(_queries, name):  # a psycopg upgrade renamed it: say so in the tests
            raise RuntimeError(f"psycopg._queries.{name} is gone: see db.cache_long_statements")
        setattr(_queries, name, max(getattr(_queries, name), limit))


def engine_for(settings: Settings | None = None, *, busy_timeout_ms: int | None = None) -> Engine:
    """The engine of the configured database (GRASSROOTS_DATABASE_URL or the SQLite file in
    the data folder): the one place the app and every command build it. busy_timeout_ms:
    SQLite's wait for the write lock, if not the settings' (the job runner waits longer)."""
    settings = settings or get_settings()
    wait = settings.sqlite_busy_timeout_ms if busy_timeout_ms is None else busy_timeout_ms
    return make_engine(settings.effective_database_url, busy_timeout_ms=wait)


def writer_sessions(settings: Settings | None = None) -> sessionmaker[Session]:
    """Sessions for a command that writes: on SQLite each transaction takes the write lock
    up front (BEGIN IMMEDIATE)."""
    return make_session_factory(writer_engine(engine_for(settings)))


def writer_engine(engine: Engine) -> Engine:
    """The same engine, but SQLite transactions start with BEGIN IMMEDIATE: the session holds
    SQLite's write lock from its first read to its commit, so that what it read stays true
    until it writes. For jobs and commands that read, then write in the same transaction
    (the deadline sweep adds its mark before the action that commits it). Requests use the
    plain engine: their transaction() takes the process's one writer (grassroots.writer)."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_immediate=True)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def execute_core(
    session: Session, statement: Executable, params: Mapping[str, Any] | None = None
) -> Result[Any]:
    """session.execute for a statement that loads no ORM objects (columns, not entities),
    without the ORM's execution layer, which costs about 20 µs a statement: the same
    autoflush first (as session.execute does), then the session's connection.
    Session._autoflush is private: it is the one way to flush unless already flushing (a
    mapper event may read through here; a public flush() would raise there).
    tests/test_db_execute_core.py pins that behaviour, so an upgrade that changes it fails."""
    session._autoflush()
    return session.connection().execute(statement, params)


class BulkInsert:
    """Many rows into one table in one executemany of the driver, without SQLAlchemy's
    per-row parameter building (≈ 60 % of a Core executemany's Python time): the INSERT is
    compiled once for `columns`, each value goes through its column type's own bind
    processor, and a column left out takes its scalar or no-argument Python default."""

    def __init__(
        self, table: Table, columns: Sequence[str], dialect: Dialect, stmt: Any = None
    ) -> None:
        """`stmt`: an INSERT of `table` of one's own (an upsert), else a plain one."""
        made = insert(table) if stmt is None else stmt
        compiled = made.compile(dialect=dialect, column_keys=list(columns))
        self.sql, self.positional = compiled.string, compiled.positional
        names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.params)
        self.names = names
        self.steps = [(n, n in columns, _Processor(table.c[n], dialect)) for n in names]
        self.complete = all(given for _, given, _ in self.steps)  # no default to compute
        self.get = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        self.bound = [(i, p.bind) for i, (_, _, p) in enumerate(self.steps) if p.bind]

    def values(self, row: Mapping[str, Any]) -> list[Any]:
        if self.complete:  # every column given: fetch them at once, convert the typed ones
            out = list(self.get(row))
            for i, bind in self.bound:
                if out[i] is not None:
                    out[i] = bind(out[i])
            return out
        out = []
        for name, given, process in self.steps:
            value = row[name] if given else process.default()
            out.append(process.bind(value) if process.bind and value is not None else value)
        return out

    def run(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        made = [self.values(r) for r in rows]
        params: Any = (
            [tuple(v) for v in made]
            if self.positional
            else [dict(zip(self.names, v, strict=True)) for v in made]
        )
        connection.exec_driver_sql(self.sql, params)


class _Processor:
    def __init__(self, column: Column[Any], dialect: Dialect) -> None:
        self.column = column
        self.bind = column.type.dialect_impl(dialect).bind_processor(dialect)

    def default(self) -> Any:
        default = self.column.default
        if default is None:
            return None
        if getattr(default, "is_scalar", False):
            return default.arg  # type: ignore[attr-defined]
        if getattr(default, "is_callable", False):
            return default.arg(None)  # type: ignore[attr-defined]
        raise ValueError(f"BulkInsert cannot compute the default of {self.column}")


@lru_cache(maxsize=256)
def bulk_insert(
    table: Table, columns: tuple[str, ...], dialect: Dialect, stmt: Any = None
) -> BulkInsert:
    """The BulkInsert of `table` (or of `stmt`, an INSERT of it made once by the caller)
    for rows with these `columns`, made once per dialect."""
    return BulkInsert(table, columns, dialect, stmt)


def insert_rows(
    connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]], stmt: Any = None
) -> None:
    """INSERT every row (each with the first row's keys) in one executemany (BulkInsert);
    `stmt`: an INSERT of `table` made once by the caller (an upsert), else a plain one."""
    if rows:
        bulk_insert(table, tuple(rows[0]), connection.dialect, stmt).run(connection, rows)


_BATCH = "grassroots.db.batch"


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """The one unit of work of a do_* action: commit once at the end, roll back on error.
    Inside `batched` the action's changes are flushed (so its version check runs) and
    committed with the batch. On a SQLite file the transaction runs on the process's one
    writer connection (grassroots.writer) and returns once it is durable."""
    if session.info.get(_BATCH):
        yield session
        session.flush()
        return
    with _writing(session):
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def _writing(session: Session) -> Iterator[None]:
    """Bind the session to the writer connection (where there is one) for the block; the
    caller commits or rolls back inside it. A read transaction still open ends first: its
    snapshot is older than what the writer sees."""
    bind = session.bind
    gate = None
    if isinstance(bind, Engine) and not bind.get_execution_options().get("sqlite_immediate"):
        gate = gate_for(bind)  # (a writer_engine session holds SQLite's lock already)
    if gate is None:
        yield
        return
    if session.in_transaction():
        if session.new or session.deleted or session.dirty:
            raise RuntimeError("changes made outside transaction(): write inside it")
        session.commit()
    with gate.hold() as conn:
        mode = session.join_transaction_mode
        session.bind, session.join_transaction_mode = conn, "create_savepoint"
        try:
            yield
        finally:
            if session.in_transaction():  # an error before the caller could end it
                session.rollback()
            session.bind, session.join_transaction_mode = bind, mode


@contextmanager
def batched(session: Session) -> Iterator[Session]:
    """Bulk loads through the real actions (the demo history): every do_* action inside
    runs as usual but they all commit together at the end, so a commit (and the audit
    chain's head update) is paid once per batch instead of once per action. All or nothing:
    an error in any action rolls the whole batch back. Not for request handling, where
    each action must be its own transaction."""
    if session.info.get(_BATCH):
        raise RuntimeError("batched() does not nest")
    with _writing(session):
        session.info[_BATCH] = True
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop(_BATCH, None)
        try:
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_schema(engine: Engine) -> None:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@lru_cache(maxsize=1)
def code_head() -> str:
    """The newest migration of this code. Read once per process: reading it parses every
    migration script (~40 ms), and every app built checks it (check_schema_current)."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


def database_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


class SchemaOutOfDate(RuntimeError):
    pass


def check_schema_current(engine: Engine) -> None:
    """Refuse to run on a schema older (or newer) than this code, saying how to fix it."""
    current, head = database_revision(engine), code_head()
    if current == head:
        return
    if current is None:
        raise SchemaOutOfDate(
            "数据库尚未初始化。请先运行 `grassroots init`。 / "
            "The database has no schema yet: run `grassroots init` first."
        )
    raise SchemaOutOfDate(
        f"数据库结构版本 {current} 与程序版本 {head} 不一致，请运行 `grassroots init` 升级。 / "
        f"Database schema is at {current}, this code needs {head}: "
        "run `grassroots init` to upgrade (back up the database first)."
    )

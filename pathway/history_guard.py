"""Database triggers that make a table append-only: UPDATE and DELETE are refused by the
database itself, whatever code (or person with a SQL prompt) tries them. Used by migrations."""

GUARD_FUNCTION = "pathway_append_only"


def create_append_only_guard(op, table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE OR REPLACE FUNCTION {GUARD_FUNCTION}() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% is append-only: rows cannot be changed or removed', TG_TABLE_NAME; "
            "END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {GUARD_FUNCTION}()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be changed or removed'); END"
            )


def drop_append_only_guard(op, table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    else:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")


def create_replace_and_truncate_guard(op, table: str) -> None:
    """The paths the UPDATE/DELETE triggers do not see (migration 0007): SQLite's REPLACE
    (`INSERT OR REPLACE` removes the old row without firing DELETE triggers), refused by a
    trigger on inserting an id that is already there; and PostgreSQL's TRUNCATE, refused by a
    statement trigger. (PostgreSQL's application role has no TRUNCATE, ALTER or DROP anyway:
    see `grant-app-role`.)"""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {GUARD_FUNCTION}()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be changed or removed'); END"
        )


def drop_replace_and_truncate_guard(op, table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")

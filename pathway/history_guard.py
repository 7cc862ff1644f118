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

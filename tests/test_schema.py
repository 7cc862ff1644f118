"""The models and the migrations describe the same schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pathway.extensions import db


def test_models_match_the_migrated_database(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []

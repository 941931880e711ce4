"""The station's database: SQLAlchemy 2 on SQLite, migrated by Alembic."""

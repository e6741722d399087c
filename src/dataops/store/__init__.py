"""The metadata store: SQLAlchemy models' base, engines, sessions, migrations."""

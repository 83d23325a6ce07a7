"""SQLAlchemy Core adapters: tables (alembic's target), repositories and the unit of work."""

"""Alembic migrations, shipped in the package and applied when a project is opened."""

"""Alembic migrations of the classroom's storage, shipped inside the package."""

"""The live classroom: an ASGI web application (Starlette on uvicorn) that runs an exercise in the browser.

A client of the library exactly as the CLI is: handlers parse a request, call :mod:`negotiation.exercises`
and render a template. Storage is SQLAlchemy (embedded SQLite by default, PostgreSQL for a department)
migrated by Alembic. Needs the ``serve`` extra: ``pip install 'negotiation[serve]'``.
"""

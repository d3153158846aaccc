"""HQ feeds into the local database: fetching, parsing, validation, ingest, sync status.

Plain Python (requests, SQLAlchemy); nothing here imports Qt or the `kiosk` package.
"""

"""The kiosk's SQLite database: engine and migrations, opening with recovery, the schema, and the
single writer thread every change goes through."""

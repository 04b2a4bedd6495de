"""Database plumbing: the engine from DATABASE_URL, sessions, migrations. Services own transactions."""

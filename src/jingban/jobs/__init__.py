"""Background jobs: a PostgreSQL-backed queue (procrastinate) with progress kept per run."""

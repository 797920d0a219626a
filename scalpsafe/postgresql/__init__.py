"""Django's PostgreSQL backend, with timestamps parsed by psycopg's C parser (base.py)."""

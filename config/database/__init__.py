"""PostgreSQL with a fail-fast window after a failed connect (see base.py)."""

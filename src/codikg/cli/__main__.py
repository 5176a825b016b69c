"""``python -m codikg.cli``."""

from codikg.cli.main import app

app()

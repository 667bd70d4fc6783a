"""WSGI entry point: `gunicorn wsgi:app` (set MARKETPLACE_CONFIG=production in production)."""

from marketplace import create_app

app = create_app()

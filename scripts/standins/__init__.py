"""Local stand-ins for the payment providers, for tests and development only (never used by the app in production):
the app reaches them only through its configuration (base URLs, keys), by the same code path as the real ones."""

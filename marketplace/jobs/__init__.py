"""Slow work out of the request: a Redis-backed job queue (RQ) with a worker, a cron scheduler for the sweeps, retries
with backoff and a failed-jobs list; without Redis (`make run`) jobs run inline after the commit."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, cli_group="jobs")

from marketplace.jobs import cli, views  # noqa: E402,F401

"""The one door to background work: `enqueue(task, *args, key=...)`.

Tasks are named functions registered with `@task("name")` in the feature that owns them (`orders.tasks`,
`notifications.tasks`, …): the queue stores the name and JSON-able arguments, never a pickled object, so a job
survives a deploy and names nothing but a registered task.

- With `REDIS_URL` set, jobs go to RQ (queue `JOBS_QUEUE`, default "default") and a worker (`flask jobs worker`) runs
  them in an app context, each in its own transaction. A failure is retried with backoff (RETRY_INTERVALS); after the
  last try the job lands in RQ's failed registry, which administrators see and retry at /admin/jobs.
- Without it (the `make run` default) a job runs inline, in the process that enqueued it, right after the commit.
- Jobs are enqueued only once the transaction that asked for them commits (nothing on rollback), so a worker never
  reads data that is not there yet.
- `key` makes an enqueue idempotent: a second job with the same key while the first is queued, running or recently
  finished is not enqueued again. Tasks themselves must be idempotent too (a retried job may run twice): they check
  what they already did (a refund row, a sent-message row) before acting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

#: seconds to wait before each retry: 10 s, 1 min, 5 min, 15 min, 1 h
RETRY_INTERVALS = (10, 60, 300, 900, 3600)
_TASKS: dict[str, Callable] = {}
_PENDING = "jobs_pending"


def task(name: str):
    """Register a function as a background task under `name`."""

    def decorator(fn: Callable) -> Callable:
        if name in _TASKS and _TASKS[name] is not fn:
            raise ValueError(f"task {name} registered twice")
        _TASKS[name] = fn
        return fn

    return decorator


def tasks() -> dict[str, Callable]:
    return dict(_TASKS)


@dataclass(frozen=True)
class Pending:
    name: str
    args: tuple = ()
    key: str | None = None
    retries: int = len(RETRY_INTERVALS)
    kwargs: dict = field(default_factory=dict)


def enqueue(name: str, *args, key: str | None = None, retries: int | None = None, **kwargs) -> None:
    """Ask for `name(*args, **kwargs)` to run once the current transaction commits. Raises KeyError for an unknown
    task (at once, in the caller)."""
    if name not in _TASKS:
        raise KeyError(f"unknown task {name}")
    from marketplace.extensions import db

    job = Pending(name, tuple(args), key, len(RETRY_INTERVALS) if retries is None else retries, dict(kwargs))
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback, even with nothing else written, drops the job
    session.info.setdefault(_PENDING, []).append(job)


def redis_connection():
    """The Redis connection for jobs, or None when REDIS_URL is not set (jobs run inline)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    connections = current_app.extensions.setdefault("jobs_redis", {})
    if url not in connections:
        from redis import Redis

        connections[url] = Redis.from_url(url, socket_timeout=5, socket_connect_timeout=3)
    return connections[url]


def queue():
    """The RQ queue, or None in inline mode."""
    connection = redis_connection()
    if connection is None:
        return None
    from rq import Queue

    return Queue(current_app.config.get("JOBS_QUEUE", "default"), connection=connection)


def inline() -> bool:
    return not current_app.config.get("REDIS_URL") or current_app.config.get("JOBS_INLINE", False)


def submit_now(name: str, *args, key: str | None = None, retries: int | None = None, **kwargs) -> None:
    """Queue a job at once, for callers that run after their commit already (after_commit hooks)."""
    if name not in _TASKS:
        raise KeyError(f"unknown task {name}")
    _submit([Pending(name, tuple(args), key, len(RETRY_INTERVALS) if retries is None else retries, dict(kwargs))])


def _dispatch(session: Session) -> None:
    jobs = session.info.pop(_PENDING, None)
    if not jobs or not has_app_context():
        return
    _submit(jobs)


def _submit(jobs: list[Pending]) -> None:
    if inline():
        for job in jobs:
            run_inline(job)
        return
    from rq import Retry
    from rq.exceptions import DuplicateJobError

    q = queue()
    for job in jobs:
        options = {}
        if job.retries:
            options["retry"] = Retry(max=job.retries, interval=list(RETRY_INTERVALS[: job.retries]))
        try:
            q.enqueue(
                "marketplace.jobs.worker.run",
                job.name,
                list(job.args),
                job.kwargs,
                job_id=job.key,
                unique=job.key is not None,
                description=job.name,
                failure_ttl=30 * 24 * 3600,
                **options,
            )
        except DuplicateJobError:
            log.info("job %s already queued", job.key)
        except Exception:  # Redis down: the commit stands; run it here rather than lose it
            log.exception("could not queue %s; running it inline", job.name)
            run_inline(job)


def run_inline(job: Pending) -> None:
    """Run a job now (inline mode, or Redis unreachable), in an app context of its own: its own session and
    transaction, as a worker would. A failure is logged: the work that asked for it is committed already."""
    from marketplace.extensions import db

    fn = _TASKS[job.name]
    with current_app.app_context():
        try:
            fn(*job.args, **job.kwargs)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("inline job %s%r failed", job.name, job.args)
        finally:
            db.session.remove()


def _discard(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)


def init_app(app: Flask) -> None:
    from flask_sqlalchemy.session import Session as AppSession

    if not app.config.get("REDIS_URL"):
        log.info("REDIS_URL is not set: background jobs run inline in the web process")
    if getattr(init_app, "_done", False):
        return
    init_app._done = True
    event.listen(AppSession, "after_commit", _dispatch)
    event.listen(AppSession, "after_soft_rollback", _discard)

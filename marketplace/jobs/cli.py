"""`flask jobs worker | scheduler | run NAME | failed`: the processes of the job queue and a look inside it."""

from __future__ import annotations

import json
import time

import click
from flask import current_app

from marketplace.jobs import bp
from marketplace.jobs.queue import Pending, inline, redis_connection, run_inline, tasks

#: the sweeps the scheduler enqueues: (task, every N seconds)
PERIODIC = (
    ("orders.remind_unconfirmed", 3600),
    ("payments.expire_unpaid", 300),
    ("catalog.clean_photo_drafts", 6 * 3600),
    ("payments.retry_refunds", 600),
    ("postal.return_uncollected", 3600),
    ("messaging.requeue_stuck", 300),
)


@bp.cli.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued, then stop (tests, one-off catch-up).")
def worker_command(burst: bool) -> None:
    """Run queued jobs (needs REDIS_URL); retries wait in RQ's scheduler, which this worker also runs."""
    from rq import Worker

    from marketplace.jobs import worker

    connection = redis_connection()
    if connection is None:
        raise click.ClickException("REDIS_URL is not set: jobs run inline in the web process, no worker is needed.")
    worker.use_app(current_app._get_current_object())
    w = Worker([current_app.config.get("JOBS_QUEUE", "default")], connection=connection)
    w.work(burst=burst, with_scheduler=True)


@bp.cli.command("scheduler")
@click.option("--once", is_flag=True, help="Run every periodic task once and stop.")
def scheduler_command(once: bool) -> None:
    """Enqueue the periodic sweeps (reminders, expiries, refund retries). With Redis, RQ's cron scheduler; without
    it, a simple loop that runs them inline in this process."""
    connection = redis_connection()
    if once:
        for name, _every in PERIODIC:
            run_inline(Pending(name))
        click.echo(f"Ran {len(PERIODIC)} periodic tasks once.")
        return
    if connection is None or inline():
        click.echo("REDIS_URL is not set: running the periodic tasks inline in this process.")
        _inline_loop()
        return
    from rq.cron import CronScheduler

    from marketplace.jobs import worker

    scheduler = CronScheduler(connection=connection)
    for name, every in PERIODIC:
        scheduler.register(worker.run, current_app.config.get("JOBS_QUEUE", "default"), args=(name, [], {}),
                           interval=every, name=name)
    scheduler.start()


def _inline_loop() -> None:
    due = {name: 0.0 for name, _every in PERIODIC}
    every = dict(PERIODIC)
    while True:
        now = time.monotonic()
        for name, at in due.items():
            if now >= at:
                run_inline(Pending(name))
                due[name] = now + every[name]
        time.sleep(max(1.0, min(due.values()) - time.monotonic()))


@bp.cli.command("run")
@click.argument("name")
@click.argument("args", nargs=-1)
def run_command(name: str, args: tuple[str, ...]) -> None:
    """Run one task now, in this process (arguments as JSON values)."""
    if name not in tasks():
        raise click.ClickException(f"unknown task {name}; known: {', '.join(sorted(tasks()))}")
    run_inline(Pending(name, tuple(json.loads(a) for a in args)))
    click.echo(f"Ran {name}.")


@bp.cli.command("failed")
def failed_command() -> None:
    """List the jobs that failed after their last retry."""
    from marketplace.jobs.views import failed_jobs

    rows = failed_jobs()
    for row in rows:
        click.echo(f"{row.id}  {row.name}  {row.args}  {row.error}")
    click.echo(f"{len(rows)} failed job(s).")

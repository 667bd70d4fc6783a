"""The administrator's view of the job queue (/admin/jobs): depth, failed jobs with their error, retry or drop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from marketplace.accounts.access import role_required
from marketplace.accounts.models import Role
from marketplace.jobs import bp
from marketplace.jobs.queue import inline, queue


@dataclass(frozen=True)
class FailedJob:
    id: str
    name: str
    args: str
    error: str
    ended_at: datetime | None


def failed_jobs(limit: int = 200) -> list[FailedJob]:
    """The jobs that failed after their last retry, newest first (empty in inline mode)."""
    q = queue()
    if q is None:
        return []
    from rq.job import Job

    registry = q.failed_job_registry
    ids = registry.get_job_ids(0, limit - 1, desc=True)
    out = []
    for job in Job.fetch_many(ids, connection=q.connection):
        if job is None:
            continue
        args = job.args[1:] if job.args else []
        error = (job.exc_info or "").strip().splitlines()
        out.append(FailedJob(job.id, job.args[0] if job.args else job.func_name, repr(args)[:200],
                             error[-1][:300] if error else "", job.ended_at))
    return out


def depth() -> dict[str, int]:
    q = queue()
    if q is None:
        return {}
    return {
        "queued": q.count,
        "started": q.started_job_registry.count,
        "scheduled": q.scheduled_job_registry.count,
        "failed": q.failed_job_registry.count,
    }


@bp.route("/admin/jobs", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def failed_list():
    from marketplace.postal.forms import ActionForm

    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        q = queue()
        job_id = request.form.get("job_id", "")
        if q is None or not job_id or len(job_id) > 100:
            abort(404)
        registry = q.failed_job_registry
        if job_id not in registry.get_job_ids():
            abort(404)
        if request.form.get("action") == "drop":
            registry.remove(job_id, delete_job=True)
            flash(_("Job dropped."), "success")
        else:
            registry.requeue(job_id)
            flash(_("Job queued again."), "success")
        return redirect(url_for("jobs.failed_list"))
    return render_template(
        "jobs/failed.html", inline=inline(), depth=depth(), failed=failed_jobs(), form=form,
        queue_name=current_app.config.get("JOBS_QUEUE", "default"),
    )

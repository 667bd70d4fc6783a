"""Running the site: liveness and readiness probes (/healthz, /readyz), a request id on every request and in every
log line, metrics in Prometheus format (/metrics)."""

from flask import Blueprint

bp = Blueprint("ops", __name__)


@bp.record_once
def _setup(state) -> None:
    from marketplace.ops import metrics, requestlog

    requestlog.init_app(state.app)
    metrics.init_app(state.app)


from marketplace.ops import views  # noqa: E402,F401

"""gunicorn settings for the web processes: `gunicorn -c gunicorn.conf.py wsgi:app` (README, Production).

Environment: BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (workers, default 2 per core), GUNICORN_TIMEOUT.
Prometheus metrics are kept per worker in PROMETHEUS_MULTIPROC_DIR (emptied at start) and added up by /metrics.
"""

import os
import shutil
import tempfile

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# long-lived keep-alive connections from the reverse proxy in front
keepalive = 5
# let a worker's memory start afresh now and then (a leak in a library never grows without bound)
max_requests = 20_000
max_requests_jitter = 2_000

os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"marketplace-metrics-{os.getpid()}"))


def on_starting(server):
    path = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)


def child_exit(server, worker):
    from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

    GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)

"""Measure requests/s and latency percentiles of one URL with wrk (preferred) or a Python fallback."""

from __future__ import annotations

import http.client
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %f %f %f\\n", summary.requests, summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


@dataclass(frozen=True)
class Measurement:
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float


def measure(url: str, seconds: float = 5, connections: int = 8) -> Measurement:
    if shutil.which("wrk"):
        return _wrk(url, seconds, connections)
    return _python(url, seconds, connections)


def _wrk(url: str, seconds: float, connections: int) -> Measurement:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT)
    seconds = max(1, round(seconds))  # wrk counts whole seconds
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", fh.name, url],
        capture_output=True, text=True, check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    _tag, total, errors, p50, p95, p99 = line.split()
    return Measurement(int(total), int(errors), int(total) / seconds, float(p50), float(p95), float(p99))


def _python(url: str, seconds: float, connections: int) -> Measurement:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine = []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return Measurement(len(latencies), errors[0], len(latencies) / seconds, q[49] * 1000, q[94] * 1000, q[98] * 1000)

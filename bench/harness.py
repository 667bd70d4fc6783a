"""What the page benchmarks share: catalogues built once and kept (one database per size), gunicorn with the
production config, the bare Flask hello ceiling measured in the same run, per-page SQL figures, the tables.

A page is measured in two modes: `db` (PAGE_CACHE=0: every request rendered from the database, which is what
must stay flat from 10k to 1M listings) and `cached` (the shared page cache in Redis, as production runs).
Figures are medians over the rounds; ratios are taken within the same run (the machine is shared and noisy).
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import Measurement, measure  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/marketplace_bench_{label}"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


def environment(url: str, workdir: Path, search_backend: str) -> dict:
    env = dict(os.environ)
    # a SQLite catalogue keeps its Whoosh index and photos beside it, to be reused with it
    keep = Path(url.removeprefix("sqlite:///") + ".files") if url.startswith("sqlite") else workdir
    env.update(
        FLASK_APP="wsgi", MARKETPLACE_INSTANCE=str(workdir), DATABASE_URL=url, SECRET_KEY="bench-only-secret",
        UPLOAD_DIR=str(keep / "uploads"), SEARCH_INDEX_DIR=str(keep / "search-index"),
        SEARCH_BACKEND=search_backend,
    )
    env.pop("REDIS_URL", None)
    return env


def _flask(env: dict, *args: str, quiet: bool = True) -> str:
    out = subprocess.run([sys.executable, "-m", "flask", *args], env=env, cwd=ROOT, check=True, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL if quiet else None)
    return out.stdout


def _python(env: dict, code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


_COUNT = """
from sqlalchemy import inspect, text
from marketplace import create_app
from marketplace.extensions import db
app = create_app()
with app.app_context():
    print(db.session.execute(text('SELECT count(*) FROM listings')).scalar()
          if inspect(db.engine).has_table('listings') else 0)
"""

_RESET = """
from sqlalchemy import text
from marketplace import create_app
from marketplace.extensions import db
app = create_app()
with app.app_context():
    if db.engine.dialect.name == 'postgresql':
        with db.engine.begin() as conn:
            conn.execute(text('DROP SCHEMA public CASCADE'))
            conn.execute(text('CREATE SCHEMA public'))
"""


def ensure_catalogue(env: dict, n: int, rebuild_search: bool = True) -> None:
    """A catalogue of about `n` listings in env's database: kept when it is there (`flask db upgrade` only),
    otherwise built with the README's commands (demo load, demo synth, search rebuild)."""
    have = int(_python(env, _COUNT).strip() or 0) if _database_exists(env) else 0
    if have >= n * 0.98:
        _flask(env, "db", "upgrade")
        if env["SEARCH_BACKEND"] == "whoosh" and not Path(env["SEARCH_INDEX_DIR"], "current").exists():
            _flask(env, "search", "rebuild")
        print(f"  {label(n)}: reusing {have} listings in {env['DATABASE_URL']}", flush=True)
        return
    started = time.perf_counter()
    _create_database(env)
    _python(env, _RESET)
    _flask(env, "db", "upgrade")
    _flask(env, "demo", "load")
    _flask(env, "demo", "synth", "--products", str(max(0, n - 215)))
    if rebuild_search:
        _flask(env, "search", "rebuild")
    print(f"  {label(n)}: built in {time.perf_counter() - started:.0f} s", flush=True)


def _database_exists(env: dict) -> bool:
    url = env["DATABASE_URL"]
    if url.startswith("sqlite"):
        return Path(url.removeprefix("sqlite:///")).exists()
    name = url.rsplit("/", 1)[1]
    out = subprocess.run(["psql", url.rsplit("/", 1)[0] + "/postgres", "-Atc",
                          f"SELECT 1 FROM pg_database WHERE datname = '{name}'"], capture_output=True, text=True)
    return out.stdout.strip() == "1"


def _create_database(env: dict) -> None:
    url = env["DATABASE_URL"]
    if url.startswith("postgres") and not _database_exists(env):
        subprocess.run(["psql", url.rsplit("/", 1)[0] + "/postgres", "-qc",
                        f"CREATE DATABASE {url.rsplit('/', 1)[1]}"], check=True)


def pick(env: dict, code: str) -> dict:
    """Run `code` (which prints `key=value` lines) against env's database."""
    out = _python(env, code)
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


class Server:
    """gunicorn with the production config and gunicorn.conf.py, 2 workers, its log in a file."""

    def __init__(self, module: str, env: dict, workdir: Path):
        self.port = free_port()
        # plain HTTP straight to gunicorn, as from the TLS proxy in front of it: no redirect to https
        env = dict(env, MARKETPLACE_CONFIG="production", WEB_CONCURRENCY="2", BIND=f"127.0.0.1:{self.port}",
                   FORCE_HTTPS="0",
                   PROMETHEUS_MULTIPROC_DIR=str(workdir / f"metrics-{self.port}"))
        self.log = open(workdir / f"gunicorn-{self.port}.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", module],
                                     env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        atexit.register(self.stop)
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{module} did not start; see {self.log.name}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def cpu_seconds(self) -> float:
        """User + system CPU of the workers so far (Linux /proc): what a request costs the app, however loaded the
        machine is (wall-clock latency is not)."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.proc.pid:  # ppid: a worker of this master
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def measure(self, path: str, seconds: float, connections: int) -> tuple[Measurement, float]:
        """wrk figures and the workers' CPU milliseconds per request."""
        before = self.cpu_seconds()
        m = measure(self.url(path), seconds, connections)
        return m, 1000 * (self.cpu_seconds() - before) / max(1, m.requests)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()
        self.log.close()


def server_timing(url: str, samples: int) -> tuple[float, float, float]:
    """Median (app ms, SQL ms, SQL statements) over `samples` requests, from the Server-Timing header."""
    apps, sqls, counts = [], [], []
    for _ in range(samples):
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            header = response.headers.get("Server-Timing", "")
        parts = {p.split(";")[0].strip(): p for p in header.split(",")}
        apps.append(float(parts["app"].split("dur=")[1].split(";")[0]))
        sqls.append(float(parts["sql"].split("dur=")[1].split(";")[0]))
        counts.append(float(parts["sql"].split('desc="')[1].rstrip('"')))
    return statistics.median(apps), statistics.median(sqls), statistics.median(counts)


@dataclass
class PageFigures:
    runs: list[Measurement] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    app_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    queries: list[float] = field(default_factory=list)

    def med(self, attr: str) -> float:
        return statistics.median(getattr(m, attr) for m in self.runs)


@dataclass
class Results:
    """figures[(mode, size, page)] and hello[size] over the rounds."""

    figures: dict = field(default_factory=dict)
    hello: dict = field(default_factory=dict)
    #: the hello workers' CPU milliseconds per request, per mode and round
    hello_cpu: dict = field(default_factory=dict)

    def add(self, mode: str, n: int, page: str, m: Measurement, timing: tuple | None, cpu_ms: float) -> None:
        f = self.figures.setdefault((mode, n, page), PageFigures())
        f.runs.append(m)
        f.cpu_ms.append(cpu_ms)
        if timing:
            f.app_ms.append(timing[0])
            f.sql_ms.append(timing[1])
            f.queries.append(timing[2])


def run_rounds(sizes: dict[int, dict], pages: dict[int, dict[str, str]], workdir: Path, rounds: int, seconds: float,
               connections: int, modes: tuple[str, ...], redis_url: str, samples: int = 15) -> Results:
    """Per round and mode: a server per size and the hello side by side; each page measured on every size in turn
    (so a burst of load from elsewhere on the machine hits both sizes alike), the hello before and after."""
    results = Results()
    first_env = next(iter(sizes.values()))
    for r in range(1, rounds + 1):
        for mode in modes:
            if mode == "cached":
                subprocess.run(["redis-cli", "-u", redis_url, "FLUSHDB"], capture_output=True)
            servers = {n: Server("wsgi:app", dict(env, SERVER_TIMING="1", PAGE_CACHE="1" if mode == "cached" else "0",
                                                  REDIS_URL=redis_url), workdir) for n, env in sizes.items()}
            hello = Server("bench.hello_wsgi:app", first_env, workdir)
            try:
                measure(hello.url("/"), 1, connections)
                first, hello_cpu = hello.measure("/", seconds / 2, connections)
                ceilings = [first]
                for page in pages[next(iter(sizes))]:
                    for n, app in servers.items():
                        path = pages[n][page]
                        measure(app.url(path), 1, connections)
                        m, cpu = app.measure(path, seconds, connections)
                        timing = server_timing(app.url(path), samples) if mode == "db" else None
                        results.add(mode, n, page, m, timing, cpu)
                        sql = f" sql {timing[1]:.1f} ms/{timing[2]:.0f}" if timing else ""
                        print(f"  r{r} {mode:<6} {label(n):>4} {page:<22} {m.rps:8.1f} req/s p50 {m.p50_ms:7.1f} ms"
                              f" cpu {cpu:.2f} ms{sql}{'  ERRORS ' + str(m.errors) if m.errors else ''}", flush=True)
                last, cpu_after = hello.measure("/", seconds / 2, connections)
                ceilings.append(last)
                results.hello_cpu.setdefault(mode, []).append((hello_cpu + cpu_after) / 2)
            finally:
                hello.stop()
                for app in servers.values():
                    app.stop()
            rps = sum(c.rps for c in ceilings) / len(ceilings)
            results.hello.setdefault(mode, []).append(ceilings[0].__class__(
                sum(c.requests for c in ceilings), sum(c.errors for c in ceilings), rps,
                *(sum(getattr(c, a) for c in ceilings) / len(ceilings) for a in ("p50_ms", "p95_ms", "p99_ms"))))
            print(f"round {r}/{rounds} {mode}: hello {rps:.0f} req/s (before {ceilings[0].rps:.0f}, after "
                  f"{ceilings[1].rps:.0f})", flush=True)
    return results


def print_tables(results: Results, sizes: list[int], page_names: list[str], modes: tuple[str, ...]) -> None:
    small, large = sizes[0], sizes[-1]
    for mode in modes:
        hellos = results.hello[mode]
        rounds = len(hellos)
        hello_cpu = statistics.median(results.hello_cpu[mode])
        print(f"\n[{mode}] hello ceiling (bare Flask, same gunicorn settings, measured beside): median "
              f"{statistics.median(m.rps for m in hellos):.0f} req/s ({', '.join(f'{m.rps:.0f}' for m in hellos)}), "
              f"{hello_cpu:.3f} ms of worker CPU per request")
        title = {"db": "every request rendered from the database (PAGE_CACHE=0)",
                 "cached": "shared page cache in Redis (production)"}[mode]
        print(f"[{mode}] {title}; medians over {rounds} rounds")
        head = f"{'page':<22}"
        for n in sizes:
            head += f"|{label(n) + ' req/s':>11}{'p50':>7}{'p95':>7}{'p99':>7}"
            if mode == "db":
                head += f"{'SQL ms':>7}{'SQLs':>5}"
            head += f"{'%hello':>7}{'cpu ms':>7}{'cpu%':>6}"
        head += f"|{label(large) + '÷' + label(small) + ' p50':>12}"
        print(head)
        for page in page_names:
            row = f"{page:<22}"
            for n in sizes:
                f = results.figures.get((mode, n, page))
                if f is None:
                    row += "|" + " " * (52 + (12 if mode == "db" else 0))
                    continue
                row += f"|{f.med('rps'):>11.1f}{f.med('p50_ms'):>7.1f}{f.med('p95_ms'):>7.1f}{f.med('p99_ms'):>7.1f}"
                if mode == "db":
                    row += f"{statistics.median(f.sql_ms):>7.1f}{statistics.median(f.queries):>5.0f}"
                # page ÷ hello within each round, then the median
                ratios = [m.rps / h.rps for m, h in zip(f.runs, hellos)]
                cpu = statistics.median(f.cpu_ms)
                row += f"{100 * statistics.median(ratios):>6.1f}%{cpu:>7.2f}{100 * hello_cpu / cpu:>5.0f}%"
            a, b = results.figures.get((mode, small, page)), results.figures.get((mode, large, page))
            if a and b and len(sizes) > 1:
                ratios = [y.p50_ms / x.p50_ms for x, y in zip(a.runs, b.runs)]
                row += f"|{statistics.median(ratios):>11.2f}×"
            print(row)
    print("p50/p95/p99 in ms (wrk); SQL ms and SQLs: median per request from the app's Server-Timing header;"
          " %hello: the page's req/s ÷ the hello's in the same round; cpu ms: the app workers' CPU per request"
          " (/proc), cpu%: the hello's CPU per request ÷ the page's (the req/s share an idle machine would give);"
          " the last column: median of the per-round ratios of p50 latency")


def _exit_on_term(*_args) -> None:
    raise SystemExit(143)  # runs the atexit handlers: no gunicorn left behind


signal.signal(signal.SIGTERM, _exit_on_term)


def workdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))

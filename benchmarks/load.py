"""Load test: gunicorn and PostgreSQL on loopback, 50 simulated people with locust.

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.load [--users 50] [--seconds 90]
        [--workers 3] [--indicators 2000] [--cache file|locmem]

Needs the bench extra (``pip install -c constraints.txt -e ".[test,bench]"``). Builds the
synthetic data set in a throwaway database, collects the static files, starts gunicorn on
127.0.0.1 with debug off (as in production, but plain HTTP on loopback: no HTTPS redirect and
cookies not marked secure), and runs locust headless for a bounded time: scrutiny members
reading dashboards and the API and officers entering values (benchmarks/locustfile.py), each
waiting 1 to 3 s between requests. Server, database and load generator share this machine's
cores. The workers share one FileBasedCache folder (``--cache locmem``: a cache per worker, the
default of settings.py). Only addresses on this machine are used, and everything started is
stopped at the end.

The last line prints ``requests=… failures=… p50_ms=… p95_ms=… max_ms=… rps=…`` for the steady
state (every request once all the users have started and signed in, but signing in), then
``all_p95_ms`` and ``all_failures`` for every request but signing in from the start; each kind
of request is listed above it (signing in too: password hashing is slow on purpose).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.setup import django_for_benchmark

# Only for the synthetic accounts of a throwaway database.
PASSWORD = "synthetic-load-test-only"
ROOT = Path(__file__).resolve().parent.parent
# Users started a second. Signing in hashes a password on purpose (about 0.3 s of CPU): at 5 a
# second the 50 sign-ins needed 15 s of CPU within 10 s, which kept both cores busy until the
# last user was in, and the steady state started behind that queue. At 2 a second (25 s for 50
# users) signing in takes under a core.
SPAWN_RATE = 2


def prepare(indicators: int, folder: Path) -> str:
    """Data, accounts and the plan of the test; returns the database URL for gunicorn."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.pages import analyze
    from plans.models import Plan
    from targets.models import CommitmentPartner, Indicator
    from targets.synthetic import USER_PREFIX, synthetic_data_generate

    started = time.perf_counter()
    counts = synthetic_data_generate(indicators=indicators, force=True)
    analyze()
    print(f"synthetic data: {counts} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    users = get_user_model().objects.filter(username__startswith=USER_PREFIX)
    # One hash for every account: hashing is slow on purpose.
    users.update(password=make_password(PASSWORD))
    officers = {}
    for username, slug in CommitmentPartner.objects.filter(
        partner__memberships__user__username__startswith=f"{USER_PREFIX}officer-"
    ).values_list("partner__memberships__user__username", "commitment__indicator__slug"):
        officers.setdefault(username, []).append(slug)
    plan = {
        "password": PASSWORD,
        "plans": list(Plan.objects.filter(is_synthetic=True).values_list("slug", flat=True)),
        "indicators": list(Indicator.objects.values_list("slug", flat=True)),
        "officers": officers,
    }
    (folder / "plan.json").write_text(json.dumps(plan))
    call_command("collectstatic", interactive=False, verbosity=0)
    database = settings.DATABASES["default"]
    connection.close()
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


TICKS = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, str, float]]:
    """Every process on the machine: pid -> (parent pid, command line, CPU seconds used by it
    and by its children that have ended)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        fields = text[text.rindex(")") + 2 :].split()
        # Fields 4 (ppid) and 14 to 17 (utime, stime, cutime, cstime) of proc(5).
        ticks = sum(int(value) for value in fields[11:15])
        found[int(entry.name)] = (int(fields[1]), command, ticks / TICKS)
    return found


def descendants(found: dict, root: int) -> set[int]:
    family, grew = {root}, True
    while grew:
        more = {pid for pid, (parent, _, _) in found.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return family


def cpu_by_part(server_pid: int, database_port: str | None) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers), by this test's PostgreSQL
    server (its postmaster and every backend and worker under it, ended ones included: not
    other clusters on the machine) and by the whole machine."""
    found = processes()
    parts = {"gunicorn": sum(found[pid][2] for pid in descendants(found, server_pid))}
    postmasters = [
        pid
        for pid, (_, command, _) in found.items()
        if database_port
        and command.startswith(("postgres ", "/usr/lib/postgresql/"))
        and f"-p {database_port} " in command
    ]
    parts["postgres"] = sum(
        found[pid][2] for root in postmasters for pid in descendants(found, root)
    )
    with open("/proc/stat") as stat:
        total = sum(int(value) for value in stat.readline().split()[1:4]) / TICKS
    parts["machine"] = total
    return parts


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s.")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def summary(timings: list, names=None) -> dict:
    times = [ms for name, ms, *_ in timings if names is None or name in names]
    return {
        "requests": len(times),
        "failures": sum(
            1 for name, _, failed, *_ in timings if failed and (names is None or name in names)
        ),
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
        "max": max(times, default=0.0),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--indicators", type=int, default=2_000)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument(
        "--spawn-rate", type=float, default=SPAWN_RATE, help="users started a second"
    )
    parser.add_argument(
        "--cache",
        choices=["file", "locmem"],
        default="file",
        help="file: one cache folder shared by the workers (docs/dashboards.md); locmem: the "
        "default of settings.py, a cache per worker",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="leicester-perf-load-"))
    django_for_benchmark()
    from django.db import connection

    vendor = connection.vendor
    database_port = connection.settings_dict.get("PORT") or None
    database_url = prepare(args.indicators, folder)
    address = f"127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "load-test-only-secret-key",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "LOAD_TEST_PLAN": str(folder / "plan.json"),
    }
    if args.cache == "file":
        env["LEICESTER_PERF_CACHE_BACKEND"] = "django.core.cache.backends.filebased.FileBasedCache"
        env["LEICESTER_PERF_CACHE_LOCATION"] = str(folder / "cache")
        # Every indicator's page and API answer fit: 2,000 indicators.
        env["LEICESTER_PERF_CACHE_MAX_ENTRIES"] = "20000"
    env.pop("DJANGO_DEBUG", None)
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "leicester_perf.wsgi",
            "--bind",
            address,
            "--workers",
            str(args.workers),
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=(folder / "access.log").open("w"),
        stderr=(folder / "server.log").open("w"),
    )
    try:
        wait_until_up(f"http://{address}/healthz")
        load_started = os.getloadavg()
        cpu_started = cpu_by_part(server.pid, database_port)
        locust_started = os.times()
        subprocess.run(
            [
                str(bin_dir / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                f"http://{address}",
                "--csv",
                str(folder / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            check=False,
            timeout=args.seconds + 120,
        )
        load_ended = os.getloadavg()
        cpu_ended = cpu_by_part(server.pid, database_port)
        locust_ended = os.times()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    timings = json.loads((folder / "timings.json").read_text())
    signing_in = {"sign in", "sign in (form)"}
    pages = [t for t in timings if t[0] not in signing_in]
    # Steady state: once every user has signed in (benchmarks/locustfile.py).
    steady = [t for t in pages if t[3]]
    # From the last sign-in to the last request.
    steady_seconds = max(steady[-1][4] - steady[0][4], 1) if steady else 1
    print(f"files: {folder}")
    print(
        f"database={vendor} users={args.users} seconds={args.seconds} workers={args.workers} "
        f"cache={args.cache} spawn_rate={args.spawn_rate:g} "
        f"loadavg_before={load_started[0]:.2f} loadavg_after={load_ended[0]:.2f}"
    )
    # Where the machine's CPU went while locust ran (user and system time, all cores).
    cpu = {part: cpu_ended[part] - cpu_started[part] for part in cpu_started}
    cpu["locust"] = sum(locust_ended[2:4]) - sum(locust_started[2:4])
    # "other": everything else on the machine, other work sharing it included.
    cpu["other"] = cpu["machine"] - cpu["gunicorn"] - cpu["postgres"] - cpu["locust"]
    wall = locust_ended.elapsed - locust_started.elapsed
    print(
        f"CPU seconds over {wall:.0f} s ({os.cpu_count()} cores): "
        + ", ".join(f"{part} {seconds:.1f}" for part, seconds in cpu.items())
    )
    print("every request, from the first user's start:")
    for name in sorted({t[0] for t in timings}):
        row = summary(timings, {name})
        print(
            f"  {name:16} {row['requests']:6} requests {row['failures']:4} failures  "
            f"p50 {row['p50']:7.0f} ms  p95 {row['p95']:7.0f} ms  max {row['max']:7.0f} ms"
        )
    everything = summary(pages)
    print(
        f"all but signing in: {everything['requests']} requests, {everything['failures']} "
        f"failures, p50 {everything['p50']:.0f} ms, p95 {everything['p95']:.0f} ms"
    )
    # The steady state in four equal parts, in the order the requests ended: how long the
    # caches, empty at the start, take to fill shows in the first.
    quarters = [steady[len(steady) * i // 4 : len(steady) * (i + 1) // 4] for i in range(4)]
    print(
        "steady state by quarter, p50/p95 ms: "
        + "  ".join(f"{summary(q)['p50']:.0f}/{summary(q)['p95']:.0f}" for q in quarters)
    )
    total = summary(steady)
    print(
        f"requests={total['requests']} failures={total['failures']} p50_ms={total['p50']:.0f} "
        f"p95_ms={total['p95']:.0f} max_ms={total['max']:.0f} "
        f"rps={total['requests'] / steady_seconds:.1f} "
        f"all_p95_ms={everything['p95']:.0f} all_failures={everything['failures']} "
        f"sign_in_failures={summary(timings, signing_in)['failures']} "
        f"cpu_gunicorn_s={cpu['gunicorn']:.1f} cpu_postgres_s={cpu['postgres']:.1f} "
        f"cpu_locust_s={cpu['locust']:.1f} cpu_other_s={cpu['other']:.1f}"
    )


if __name__ == "__main__":
    main()

"""Bulletin fan-out through the real task workers into real sinks on 127.0.0.1.

Data size: ``--recipients`` people (default 100,000) in one restricted cohort of Cửa Ông,
half with an email contact point, half with an SMS one, on the real Quảng Ninh units. The
bulletin is written, approved by a second officer and sent through the services; ``--workers``
``safeward worker`` processes (the database worker, or RQ on Redis with ``--rq``) create the
deliveries and send them: email over SMTP to an aiosmtpd server, SMS as HTTP POSTs to a
gateway sink (the same shape as a webhook). Both sinks run in this process and record each
message's idempotency key (the email's Message-ID, the POST's Idempotency-Key).

Reference, measured in the same run: a plain loop sending the same kind of messages straight
to the same sinks (one SMTP connection; one POST per message, as the gateway channel does)
for ``--raw`` messages. ``deliveries_vs_raw`` is the workers' rate over the plain loop's.

Then a second bulletin to the same people, with faults: every worker is killed (SIGKILL) when
half the deliveries exist (mid-fan-out), restarted, and killed again when half the messages
have arrived (mid-sending); after the restart the periodic send (run here at once instead of
after 30 s) resumes the fan-out and the lost leases (``SAFEWARD_DELIVERY_LEASE_SECONDS=5``).
Counted at the end: keys never received (lost), keys recorded twice as delivered (doubled),
and messages the wire carried twice with the same key (re-sent after a kill between sending
and recording; a receiver that honours the key keeps one).

Worker memory: each worker's RSS at its first sample and its highest, to show that no list of
recipients is held in memory.

Usage: python bench/fanout.py [--recipients 100000] [--workers 2] [--raw 20000]
       [--database-url postgres://...] [--rq]
Prints figures and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import email
import json
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


class Sinks:
    """An SMTP server (aiosmtpd) and an HTTP gateway on 127.0.0.1 that count keys."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.lock = threading.Lock()
        self.keys: dict[str, int] = {}
        self.received = 0
        self.first = self.last = 0.0
        sinks = self

        class Mail:
            async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
                message = email.message_from_bytes(envelope.content)
                sinks.record(str(message.get("Message-ID", "")))
                return "250 OK"

        with socket.socket() as probe:  # a free port: the controller cannot be given port 0
            probe.bind(("127.0.0.1", 0))
            self.smtp_port = probe.getsockname()[1]
        self.smtp = Controller(Mail(), hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()

        class Gateway(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                sinks.record(self.headers.get("Idempotency-Key", ""))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
        self.http.daemon_threads = True
        self.http_url = f"http://127.0.0.1:{self.http.server_port}/sms"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def record(self, key: str) -> None:
        with self.lock:
            now = time.perf_counter()
            self.first = self.first or now
            self.last = now
            self.received += 1
            self.keys[key] = self.keys.get(key, 0) + 1

    def reset(self) -> None:
        with self.lock:
            self.keys.clear()
            self.received = 0
            self.first = self.last = 0.0

    def stop(self) -> None:
        self.smtp.stop()
        self.http.shutdown()


def raw_rate(sinks: Sinks, count: int) -> dict[str, float]:
    """The plain loop: the same messages straight to the sinks, half email, half SMS."""
    sinks.reset()
    half = count // 2
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sinks.smtp_port) as smtp:
        for i in range(half):
            message = EmailMessage()
            message["Subject"] = "Tình hình ma túy trên địa bàn phường"
            message["From"] = "safeward@localhost"
            message["To"] = f"p{i}@example.vn"
            message["Message-ID"] = f"<raw-{i}@localhost>"
            message.set_content("Công an phường Cửa Ông thông tin tình hình ma túy. " * 4)
            smtp.send_message(message)
    mail_s = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(count - half):
        body = json.dumps({"to": f"0912{i:06d}", "text": "Công an phường " * 10, "id": f"raw-{i}"})
        request = urllib.request.Request(
            sinks.http_url,
            data=body.encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": f"raw-sms-{i}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
    sms_s = time.perf_counter() - started
    return {
        "raw_per_s": round(count / (mail_s + sms_s), 1),
        "raw_email_per_s": round(half / mail_s, 1),
        "raw_sms_per_s": round((count - half) / sms_s, 1),
    }


def setup_child(recipients: int) -> None:
    """In a child process: the foundation, the people, their contact points and the cohort."""
    import django

    django.setup()
    from django.utils import timezone

    from safeward.bulletins import services
    from safeward.bulletins.models import CohortMember
    from safeward.demo.scenario import run_demo
    from safeward.people.models import ContactPoint, Person

    ctx = run_demo(seed=2024, log=lambda _m: None, only_foundation=True)
    ward = ctx.units["cua_ong"]
    officer = ctx.users["ward_officer"]
    cohort = services.cohort_create(
        officer, ward, kind="rehab", name="Nhóm A", neutral_wording="Thông tin cho cư dân"
    )
    today = timezone.localdate()
    batch = 20_000
    for start in range(0, recipients, batch):
        people = Person.objects.bulk_create(
            [
                Person(unit=ward, full_name=f"Người nhận {i}")
                for i in range(start, min(recipients, start + batch))
            ]
        )
        ContactPoint.objects.bulk_create(
            [
                ContactPoint(
                    person=p,
                    kind="email" if p.pk % 2 else "sms",
                    value=f"p{p.pk}@example.vn" if p.pk % 2 else f"09{p.pk:08d}"[-10:],
                    consent_on=today,
                    consent_method="written",
                )
                for p in people
            ]
        )
        CohortMember.objects.bulk_create([CohortMember(cohort=cohort, person=p) for p in people])
    print(json.dumps({"cohort": cohort.pk}))


def send_child(cohort_id: int, label: str) -> None:
    """In a child process: write, approve and send a bulletin to the cohort."""
    import datetime as dt

    import django

    django.setup()
    from django.utils import timezone

    from safeward.accounts.models import User
    from safeward.bulletins import services
    from safeward.bulletins.models import Cohort

    officer = User.objects.get(username="ward_officer")
    approver = User.objects.get(username="city_officer")
    cohort = Cohort.objects.get(pk=cohort_id)
    bulletin = services.bulletin_draft(
        officer,
        cohort.unit,
        category="Security",
        event="Tình hình ma túy",
        urgency="Expected",
        severity="Moderate",
        certainty="Observed",
        expires_at=timezone.now() + dt.timedelta(days=2),
        texts=[services.Text("vi", f"Tình hình ma túy ({label})", "Công an phường thông tin.")],
        audiences=[services.Audience("cohort", cohort)],
    )
    services.bulletin_submit(officer, bulletin)
    services.bulletin_approve(approver, bulletin)
    services.bulletin_send(officer, bulletin)
    print(json.dumps({"bulletin": bulletin.pk}))


def status_child(bulletin_id: int) -> None:
    import django

    django.setup()
    from django.db.models import Count

    from safeward.bulletins.models import Bulletin, Delivery

    states = dict(
        Delivery.objects.filter(bulletin_id=bulletin_id)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    done = Bulletin.objects.filter(pk=bulletin_id, fanned_out_at__isnull=False).exists()
    print(json.dumps({"states": states, "fanned_out": done}))


def periodic_child() -> None:
    import django

    django.setup()
    from safeward.bulletins.tasks import send_due_deliveries

    send_due_deliveries.enqueue()
    print(json.dumps({"enqueued": True}))


def child(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [PY, __file__, *args], capture_output=True, text=True, cwd=ROOT, env=env, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"{args[0]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Workers:
    def __init__(self, env: dict[str, str], count: int, rq: bool) -> None:
        self.env, self.count, self.rq = env, count, rq
        self.procs: list[subprocess.Popen[bytes]] = []
        self.rss: dict[int, list[int]] = {}

    def start(self) -> None:
        for _n in range(self.count):
            proc = subprocess.Popen(
                [PY, str(ROOT / "manage.py"), "worker"],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.procs.append(proc)

    def sample(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                kb = rss_kb(proc.pid)
                if kb:
                    self.rss.setdefault(proc.pid, []).append(kb)

    def kill(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs = []

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs = []


def wait_until(condition: Any, timeout: float, workers: Workers) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers.sample()
        if condition():
            return True
        time.sleep(0.5)
    return False


def run(args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    sinks = Sinks()
    env = dict(os.environ)
    drop = None
    if args.database_url:
        from rollup import postgres_database  # the same throw-away database helper

        env["DATABASE_URL"], drop = postgres_database(args.database_url)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp}/db.sqlite3"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "safeward.config.settings",
            "PYTHONPATH": str(ROOT / "src"),
            "SAFEWARD_VAR_DIR": str(tmp),
            "SAFEWARD_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "SAFEWARD_EMAIL_HOST": "127.0.0.1",
            "SAFEWARD_EMAIL_PORT": str(sinks.smtp_port),
            "SAFEWARD_SMS_GATEWAY_URL": sinks.http_url,
            "SAFEWARD_DELIVERY_LEASE_SECONDS": "5",
            "SAFEWARD_BULLETIN_SENDERS": str(args.workers),
        }
    )
    if args.rq:
        env["SAFEWARD_TASK_BACKEND"] = "rq"
        env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
        subprocess.run(
            ["redis-cli", "-u", env["REDIS_URL"], "FLUSHDB"], check=False, capture_output=True
        )
    try:
        subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        started = time.perf_counter()
        cohort = child(env, "--setup", str(args.recipients))["cohort"]
        setup_s = time.perf_counter() - started
        print(f"{args.recipients:,} recipients ready in {setup_s:.1f} s")
        figures: dict[str, Any] = {
            "recipients": args.recipients,
            "workers": args.workers,
            "backend": "rq" if args.rq else "database",
            "database": env["DATABASE_URL"].split(":")[0],
        }
        figures.update(raw_rate(sinks, args.raw))
        print(f"plain loop: {figures['raw_per_s']:,} messages/s over {args.raw:,}")

        # Clean run.
        sinks.reset()
        workers = Workers(env, args.workers, args.rq)
        bulletin = child(env, "--send", str(cohort), "clean")["bulletin"]
        started = time.perf_counter()
        workers.start()
        ok = wait_until(lambda: sinks.received >= args.recipients, args.timeout, workers)
        elapsed = time.perf_counter() - started
        status = child(env, "--status", str(bulletin))
        workers.stop()
        # From the first message to the last (the workers' start-up is reported beside it).
        sending = max(sinks.last - sinks.first, 1e-6)
        figures["deliveries_per_s"] = round(len(sinks.keys) / sending, 1)
        figures["clean_seconds"] = round(elapsed, 1)
        figures["first_message_after_s"] = round(sinks.first - started, 1)
        figures["clean_complete"] = ok
        figures["clean_states"] = status["states"]
        rss = [(v[0], max(v)) for v in workers.rss.values() if v]
        figures["worker_rss_first_kb"] = [a for a, _b in rss]
        figures["worker_rss_max_kb"] = [b for _a, b in rss]
        print(f"workers: {figures['deliveries_per_s']:,} deliveries/s ({elapsed:.1f} s)")

        # Faults: kill every worker mid-fan-out and again mid-sending.
        sinks.reset()
        workers = Workers(env, args.workers, args.rq)
        bulletin = child(env, "--send", str(cohort), "faults")["bulletin"]
        workers.start()

        def half_created() -> bool:
            states = child(env, "--status", str(bulletin))["states"]
            return sum(states.values()) >= args.recipients // 2 or sinks.received > 0

        wait_until(half_created, args.timeout, workers)
        workers.kill()
        kills = ["mid-fan-out"]
        time.sleep(6)  # past the lease
        workers.start()
        child(env, "--periodic")
        wait_until(lambda: sinks.received >= args.recipients // 2, args.timeout, workers)
        workers.kill()
        kills.append("mid-sending")
        time.sleep(6)
        workers.start()
        child(env, "--periodic")

        def finished() -> bool:
            return len(sinks.keys) >= args.recipients

        ok = wait_until(finished, args.timeout, workers)
        time.sleep(2)
        status = child(env, "--status", str(bulletin))
        workers.stop()
        recorded = status["states"]
        figures["faults"] = {
            "kills": kills,
            "complete": ok,
            "lost": args.recipients - len(sinks.keys),
            "doubled": max(0, sum(recorded.values()) - args.recipients),
            "resent_same_key": sinks.received - len(sinks.keys),
            "states": recorded,
        }
        print(f"faults: {figures['faults']}")
        return figures
    finally:
        sinks.stop()
        if drop is not None:
            drop()


def main() -> None:
    if (
        len(sys.argv) > 1
        and sys.argv[1].startswith("--")
        and sys.argv[1] in ("--setup", "--send", "--status", "--periodic")
    ):
        sys.path.insert(0, str(ROOT / "src"))
        command = sys.argv[1]
        if command == "--setup":
            setup_child(int(sys.argv[2]))
        elif command == "--send":
            send_child(int(sys.argv[2]), sys.argv[3])
        elif command == "--status":
            status_child(int(sys.argv[2]))
        else:
            periodic_child()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--raw", type=int, default=20_000)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rq", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    figures = run(args)
    ratio = figures["deliveries_per_s"] / figures["raw_per_s"] if figures["raw_per_s"] else 0
    print(
        json.dumps(
            {
                "bench": "fanout",
                "figures": figures,
                "ratios": {"deliveries_vs_raw": round(ratio, 3)},
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()

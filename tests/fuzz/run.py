"""Fuzz the whole OpenAPI schema with schemathesis, as three personas (``make fuzz``).

A throwaway SQLite database is migrated and given the demo foundation (units and
personas); the app is served by gunicorn on loopback; each persona runs every check,
positive and negative data, and the stateful phase. Budget: ``FUZZ_EXAMPLES`` test
cases per operation (default 100) and ``FUZZ_SECONDS`` per persona (default 600).
Prints operations, requests and failures by check; exits 1 when anything failed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PERSONAS = ("province_admin", "ward_officer", "anonymous")
PHASES = "examples,coverage,fuzzing,stateful"

SETUP = """
import json, django
django.setup()
from safeward.demo.scenario import run_demo
from safeward.accounts.services import token_create
ctx = run_demo(log=lambda _m: None, only_foundation=True)
tokens = {}
for name in ("province_admin", "ward_officer"):
    user = ctx.users[name]
    tokens[name] = token_create(user, name="fuzz", days=1)[1]
print(json.dumps(tokens))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(env: dict[str, str]) -> dict[str, str]:
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    out = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not come up")


def fetch_schema(url: str, out: Path) -> Path:
    """The schema, generated once (it takes several seconds on a busy machine, past the
    loader's 10-second read timeout) and given to every persona's run as a file."""
    path = out / "schema.json"
    with urllib.request.urlopen(f"{url}/api/schema/?format=json", timeout=300) as answer:
        path.write_bytes(answer.read())
    return path


# A schema-valid request may still break a rule the schema cannot state; an operation lists
# those rules under this key, and a 400 there is the documented answer, not a defect.
DOMAIN_RULES = "x-domain-rules"
# The positive-data check's own defaults, with the 400 of a rule an operation lists.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
# The server's limit on the request line answers 414, itself a refusal of bad input.
REFUSED = [
    "400",
    "401",
    "403",
    "404",
    "405",
    "406",
    "409",
    "414",
    "415",
    "422",
    "428",
    "429",
    "5xx",
]


def write_config(schema: Path, out: Path) -> Path:
    """The run's configuration, from the schema: every operation that lists rules beyond the
    schema may answer a generated, schema-valid request with 400 and the rule's message."""
    document = json.loads(schema.read_text())
    lines = [
        "[checks.negative_data_rejection]",
        f"expected-statuses = {json.dumps(REFUSED)}",
        "",
    ]
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get(DOMAIN_RULES):
                lines += [
                    "[[operations]]",
                    f"include-operation-id = {json.dumps(operation['operationId'])}",
                    "[operations.checks.positive_data_acceptance]",
                    f"expected-statuses = {json.dumps([*ACCEPTED, '400'])}",
                    "",
                ]
    path = out / "schemathesis.toml"
    path.write_text("\n".join(lines))
    return path


def fuzz(url: str, persona: str, token: str | None, out: Path, examples: int, seconds: int) -> Any:
    report = out / f"{persona}.json"
    command = [
        str(BIN / "st"),
        "--config-file",
        str(out / "schemathesis.toml"),
        "run",
        str(out / "schema.json"),
        "--url",
        url,
        "--checks",
        "all",
        "--mode",
        "all",
        "--phases",
        PHASES,
        "--max-examples",
        str(examples),
        "--max-time",
        str(seconds),
        "--workers",
        "2",
        "--no-color",
        "--suppress-health-check",
        "all",
        "--generation-database",
        "none",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    if token:
        command += ["--header", f"Authorization: Token {token}"]
    log = out / f"{persona}.log"
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(Path(__file__).with_name("hooks.py"))}
    with log.open("w") as handle:
        subprocess.run(
            command, stdout=handle, stderr=subprocess.STDOUT, cwd=out, check=False, env=env
        )
    return json.loads(report.read_text()) if report.exists() else {"log": str(log)}


def figures(report: Any) -> tuple[int, int, Counter[str]]:
    """Operations, test cases and failures by kind, from a run's JSON report."""
    operations = int((report.get("operations") or {}).get("tested", 0))
    requests = int((report.get("test_cases") or {}).get("generated", 0))
    failures: Counter[str] = Counter()
    for failure in report.get("failures", []):
        failures[f"{failure['code']} {failure['title']}"] += int(failure.get("count", 1))
    for error in report.get("errors", []):
        failures[f"error {error['title']}"] += int(error.get("count", 1))
    return operations, requests, failures


def main() -> int:
    examples = int(os.environ.get("FUZZ_EXAMPLES", "100"))
    seconds = int(os.environ.get("FUZZ_SECONDS", "600"))
    personas = os.environ.get("FUZZ_PERSONAS", ",".join(PERSONAS)).split(",")
    work = Path(tempfile.mkdtemp(prefix="safeward-fuzz-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'fuzz.sqlite3'}",
        "SAFEWARD_DEMO_MODE": "1",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "safeward.config.settings",
    }
    tokens = prepare(env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "safeward.config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        env=env,
        cwd=ROOT,
        stdout=(work / "server.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    failed = 0
    try:
        wait_until_up(f"{url}/healthz")
        write_config(fetch_schema(url, work), work)
        for persona in personas:
            started = time.monotonic()
            report = fuzz(url, persona, tokens.get(persona), work, examples, seconds)
            ops, requests, failures = figures(report)
            failed += sum(failures.values())
            took = time.monotonic() - started
            print(f"== {persona}: {ops} operations, {requests} requests in {took:.0f} s")
            for check, n in sorted(failures.items()):
                print(f"   {check}: {n} failures")
            if not failures:
                print("   no failures")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"reports and logs: {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

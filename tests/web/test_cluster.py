"""The multi-process deployment, started as ``safeward cluster`` starts it, used through nginx.

One cluster is started for the module (PostgreSQL primary and replica, Redis, SeaweedFS,
two web instances, two RQ workers, nginx) with the demo loaded, and left running for the
tests, then stopped; the last test checks that stopping leaves nothing listening. It makes
its own databases, so it runs the same in the SQLite and the PostgreSQL suite.
"""

from __future__ import annotations

import re
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
import requests
from redis import Redis
from rq import Queue

from safeward.web.cluster import LocalCluster, free_port
from tests.core import images

# Its own PostgreSQL servers, so it runs once in CI (the SQLite suite).
pytestmark = pytest.mark.standalone


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    running = LocalCluster(
        Path(tempfile.mkdtemp(prefix="safeward-cluster-")), port=free_port(), say=lambda _m: None
    )
    running.start(demo=True)
    yield running
    running.stop()


def _base(cluster: LocalCluster, port: int | None = None) -> str:
    return f"http://127.0.0.1:{port or cluster.port}"


def _served(cluster: LocalCluster, name: str, path: str) -> int:
    log = (cluster.root / f"{name}.log").read_text(errors="replace")
    return len(re.findall(rf'"GET {re.escape(path)}[ ?]', log))


def test_nginx_spreads_requests_over_both_web_instances(cluster: LocalCluster) -> None:
    for _ in range(8):
        response = requests.get(_base(cluster) + "/reports/track/", timeout=60)
        assert response.status_code == 200 and 'name="code"' in response.text
    assert _served(cluster, "web1", "/reports/track/") >= 2
    assert _served(cluster, "web2", "/reports/track/") >= 2


def _csrf(session: requests.Session, base: str, path: str) -> str:
    page = session.get(base + path, timeout=60)
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.text
    return str(session.cookies["csrftoken"])


def test_a_report_sent_to_one_instance_is_followed_on_the_other(cluster: LocalCluster) -> None:
    first, second = (_base(cluster, p) for p in cluster.web_ports)
    session = requests.Session()
    token = _csrf(session, first, "/reports/submit/")
    form = session.get(first + "/reports/submit/", timeout=60).text
    category = re.search(r'name="category"[^>]*>.*?<option value="([\w.-]+)"', form, re.S)
    unit = re.search(r'name="unit"[^>]*>.*?<option value="(\d+)"', form, re.S)
    assert category and unit
    description = f"Xe máy lạ đỗ trước cổng trường nhiều đêm liền ({time.time_ns()})"
    posted = session.post(
        first + "/reports/submit/",
        data={
            "csrfmiddlewaretoken": token,
            "category": category.group(1),
            "description": description,
            "unit": unit.group(1),
            "anonymous": "on",
        },
        files={"attachments": ("cong.jpg", images.tagged_jpeg(), "image/jpeg")},
        headers={"Referer": first + "/reports/submit/"},
        allow_redirects=False,
        timeout=30,
    )
    assert posted.status_code == 302, re.findall(r'class="error"[^>]*>([^<]+)', posted.text)
    # The session written by the first instance is read by the second.
    shown = session.get(second + "/reports/submitted/", timeout=60)
    code = re.search(r'id="tracking-code">(SW-[\w-]+)<', shown.text)
    assert shown.status_code == 200 and code, shown.text[:800]
    assert cluster.pair is not None
    count = cluster.pair.primary.psql(
        f"SELECT count(*) FROM reports_report WHERE description = '{description}'", "safeward"
    )
    assert count == "1"
    assert cluster.objects is not None
    bucket = boto3.client(
        "s3",
        endpoint_url=cluster.objects.endpoint,
        aws_access_key_id=cluster.objects.access_key,
        aws_secret_access_key=cluster.objects.secret_key,
        region_name="us-east-1",
    )
    keys = [o["Key"] for o in bucket.list_objects_v2(Bucket="safeward-files").get("Contents", [])]
    assert any(k.startswith("reports/") for k in keys)


def test_tasks_run_on_the_rq_workers(cluster: LocalCluster) -> None:
    redis = Redis(port=cluster.redis_port)
    queue = Queue("default", connection=redis)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (len(queue) or not queue.finished_job_registry.count):
        time.sleep(0.5)
    assert queue.finished_job_registry.count > 0
    assert len(queue.failed_job_registry) == 0


def test_stopping_the_cluster_leaves_nothing_listening(cluster: LocalCluster) -> None:
    ports = [cluster.port, *cluster.web_ports, cluster.redis_port]
    assert cluster.pair is not None and cluster.objects is not None
    ports += [cluster.pair.primary.port, cluster.pair.replica.port, cluster.objects.s3_port]
    cluster.stop()
    for port in ports:
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, port

"""A backup holds the database and every stored file; restore checks each file before success.

Both tests run the real commands in subprocesses against a live database of their own (a SQLite
file, or a fresh PostgreSQL database on the server the suite uses), with the real demo's clips
plus a report photo and a session material, so what is backed up is what users store.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

EXTRAS = """
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from safeward.accounts.models import User
from safeward.outreach.models import Session
from safeward.outreach.services import material_add
from safeward.reports.services import category_by_code, report_submit
from safeward.reports.uploads import clean_upload
from safeward.geo.models import AdminUnit

buf = io.BytesIO()
Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "JPEG")
photo = clean_upload(SimpleUploadedFile("p.jpg", buf.getvalue(), content_type="image/jpeg"))
unit = AdminUnit.objects.filter(level="ward", valid_to__isnull=True).exclude(centroid_lat=None).first()
report_submit(None, category=category_by_code("theft"), description="Mất xe đạp ở chợ",
              channel="web", latitude=unit.centroid_lat, longitude=unit.centroid_lon,
              uploads=[photo])
pdf = SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.4\\n% leaflet\\n%%EOF\\n")
session = Session.objects.order_by("pk").first()
material_add(User.objects.get(username="province_admin"), session=session, title="Tờ rơi", file=pdf)
"""

COUNTS = """
from safeward.evidence.models import EvidenceItem
from safeward.reports.models import Report, ReportAttachment
from safeward.outreach.models import SessionMaterial
print(Report.objects.count(), ReportAttachment.objects.count(), EvidenceItem.objects.count(),
      SessionMaterial.objects.count())
"""

NEW_REPORT = """
from safeward.geo.models import AdminUnit
from safeward.reports.services import category_by_code, report_submit
unit = AdminUnit.objects.filter(level="ward", valid_to__isnull=True).exclude(centroid_lat=None).first()
report_submit(None, category=category_by_code("theft"), description="Báo cáo sau sao lưu",
              channel="web", latitude=unit.centroid_lat, longitude=unit.centroid_lon)
"""


@pytest.fixture
def live(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a live database and media folder of this test's own."""
    env = {
        **os.environ,
        "SAFEWARD_VAR_DIR": str(tmp_path / "var"),
        "SAFEWARD_MEDIA_ROOT": str(tmp_path / "media"),
    }
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'live.sqlite3'}"
        yield env
        return
    s = connection.settings_dict
    name = f"sw_backup_{uuid.uuid4().hex[:10]}"
    admin = ["psql", "-h", str(s["HOST"]), "-p", str(s["PORT"] or 5432), "-U", str(s["USER"])]
    pg_env = {**os.environ, "PGPASSWORD": str(s.get("PASSWORD") or "")}
    subprocess.run(
        [*admin, "-d", "postgres", "-qc", f"CREATE DATABASE {name}"], env=pg_env, check=True
    )
    env["DATABASE_URL"] = (
        f"postgres://{s['USER']}:{s.get('PASSWORD') or ''}@{s['HOST']}:{s['PORT'] or 5432}/{name}"
    )
    try:
        yield env
    finally:
        subprocess.run(
            [*admin, "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            env=pg_env,
            check=False,
        )


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode:
        raise AssertionError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result


def media_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def build(env: dict[str, str]) -> None:
    manage(env, "migrate", "-v0")
    manage(env, "demo")
    manage(env, "shell", "-c", EXTRAS)


def test_backup_and_restore_bring_back_the_database_and_every_file(
    live: dict[str, str], tmp_path: Path
) -> None:
    build(live)
    media = Path(live["SAFEWARD_MEDIA_ROOT"])
    before_files = media_hashes(media)
    before_counts = manage(live, "shell", "-c", COUNTS).stdout.split()
    kinds = {name.split("/")[0] for name in before_files}
    assert {"evidence", "reports", "outreach"} <= kinds, before_files
    archive = tmp_path / "safeward.backup"
    out = manage(live, "backup", str(archive)).stdout
    assert f"{len(before_files)} files" in out
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {f"files/{name}" for name in before_files} <= names

    # Lose every file and change the database after the backup.
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    manage(live, "shell", "-c", NEW_REPORT)
    broken = manage(live, "evidence", "verify", check=False)
    assert broken.returncode != 0 and "file missing" in broken.stderr

    restored = manage(live, "restore", str(archive), "--yes").stdout
    assert f"restored from {archive}: {len(before_files)} files" in restored
    assert "every file matches its record" in restored
    assert media_hashes(media) == before_files
    assert manage(live, "shell", "-c", COUNTS).stdout.split() == before_counts
    assert "evidence OK" in manage(live, "evidence", "verify").stdout


def test_a_damaged_backup_is_refused_before_anything_changes(
    live: dict[str, str], tmp_path: Path
) -> None:
    build(live)
    archive = tmp_path / "safeward.backup"
    manage(live, "backup", str(archive))
    damaged = tmp_path / "damaged.backup"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w") as dst:
        for member in src.getmembers():
            body = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("files/evidence/"):
                body = bytes([body[0] ^ 0xFF]) + body[1:]
            dst.addfile(member, io.BytesIO(body))
    manage(live, "shell", "-c", NEW_REPORT)
    counts = manage(live, "shell", "-c", COUNTS).stdout
    result = manage(live, "restore", str(damaged), "--yes", check=False)
    assert result.returncode != 0
    assert "damaged (SHA-256 does not match)" in result.stderr
    assert manage(live, "shell", "-c", COUNTS).stdout == counts


TAMPER = """
import hashlib
from django.core.files.storage import default_storage
from safeward.evidence.models import EvidenceItem
from safeward.outreach.models import SessionMaterial
item = EvidenceItem.objects.filter(purged_at__isnull=True).order_by("pk").first()
body = b"not the clip that was received"
with default_storage.open(item.file.name, "wb") as handle:
    handle.write(body)
# The clip and the item's own hash changed together: only the custody chain still knows.
EvidenceItem.objects.filter(pk=item.pk).update(sha256=hashlib.sha256(body).hexdigest())
import json
print(json.dumps([item.pk, SessionMaterial.objects.order_by("pk").first().file.name]))
"""


def test_restore_checks_clips_against_custody_and_names_every_missing_file(
    live: dict[str, str], tmp_path: Path
) -> None:
    build(live)
    item, material = json.loads(manage(live, "shell", "-c", TAMPER).stdout.splitlines()[-1])
    archive = tmp_path / "safeward.backup"
    manage(live, "backup", str(archive))
    # An archive consistent in itself that lacks one session material (a copy made before
    # the material was stored, or one cut short): its manifest does not name it either.
    short = tmp_path / "short.backup"
    with tarfile.open(archive) as src, tarfile.open(short, "w") as dst:
        for member in src.getmembers():
            body = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json":
                body = _drop_entry(body, material)
                member.size = len(body)
            if member.name != f"files/{material}":
                dst.addfile(member, io.BytesIO(body))
    media = Path(live["SAFEWARD_MEDIA_ROOT"])
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    result = manage(live, "restore", str(short), "--yes", check=False)
    assert result.returncode != 0, result.stdout
    assert f"item {item}: recorded hash differs from its custody record" in result.stderr
    assert "material " in result.stderr and "file missing" in result.stderr


def _drop_entry(manifest: bytes, name: str) -> bytes:
    data = json.loads(manifest)
    data["files"] = [f for f in data["files"] if f["name"] != name]
    return json.dumps(data, indent=1).encode()

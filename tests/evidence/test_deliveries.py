"""Each custodian's message: queued by the approval, sent or failed by the sending task,
opened and answered through the link, resent by the requesting officer."""

from __future__ import annotations

import datetime as dt
import socket
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safeward.cameras.models import Camera
from safeward.core.models import AuditEvent
from safeward.evidence import services
from safeward.evidence.models import Delivery, FootageRequest, RequestTarget
from safeward.evidence.services import deliveries

pytestmark = pytest.mark.django_db


def _reach(camera: Camera, channel: str, contact: str) -> None:
    camera.preferred_channel, camera.contact = channel, contact
    camera.save(update_fields=["preferred_channel", "contact"])


@pytest.fixture
def by_email(camera: Camera, settings: Any) -> Camera:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _reach(camera, "email", "chu.camera@example.vn")
    return camera


def _approve(personas: dict[str, Any], footage: FootageRequest, run: Any) -> str:
    with run():
        tokens = services.footage_request_approve(personas["front_member"], footage)
    return next(iter(tokens.values()))


def _delivery(footage: FootageRequest) -> Delivery:
    return Delivery.objects.filter(target__request=footage).order_by("-attempt").first()


def test_approval_only_queues_the_message_until_the_task_runs(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        services.footage_request_approve(personas["front_member"], footage_request)
    delivery = _delivery(footage_request)
    assert (delivery.state, delivery.sent_at, mail.outbox) == ("queued", None, [])
    assert footage_request.targets.get().notified_at is None


def test_the_sending_task_marks_the_delivery_sent(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    immediate_tasks: Any,
) -> None:
    token = _approve(personas, footage_request, immediate_tasks)
    delivery = _delivery(footage_request)
    assert (delivery.state, delivery.channel) == ("sent", "email")
    assert delivery.sent_at is not None
    assert footage_request.targets.get().notified_at == delivery.sent_at
    assert f"/evidence/upload/{token}/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(
        action="footage_delivery.sent", object_id=str(delivery.pk)
    ).exists()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_mail_server_that_refuses_marks_the_delivery_failed_with_the_error(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    camera: Camera,
    immediate_tasks: Any,
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    _reach(camera, "email", "chu.camera@example.vn")
    _approve(personas, footage_request, immediate_tasks)
    delivery = _delivery(footage_request)
    assert (delivery.state, delivery.failure, delivery.sent_at) == ("failed", "error", None)
    assert "ConnectionRefused" in delivery.error
    assert delivery.failed_at is not None
    assert footage_request.targets.get().notified_at is None


@pytest.mark.parametrize(
    ("channel", "contact", "failure"),
    [
        ("phone", "0912345678", "no_channel"),
        ("in_app", "", "no_channel"),
        ("email", "", "no_contact"),
        ("sms", "0912345678", "no_gateway"),
    ],
)
def test_a_message_that_cannot_go_out_is_failed_with_its_reason(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    camera: Camera,
    immediate_tasks: Any,
    settings: Any,
    channel: str,
    contact: str,
    failure: str,
) -> None:
    settings.SAFEWARD_SMS_GATEWAY_URL = ""
    _reach(camera, channel, contact)
    _approve(personas, footage_request, immediate_tasks)
    delivery = _delivery(footage_request)
    assert (delivery.state, delivery.failure) == ("failed", failure)


def test_opening_the_link_marks_the_delivery_opened_once(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    immediate_tasks: Any,
    client: Any,
) -> None:
    token = _approve(personas, footage_request, immediate_tasks)
    opened = client.get(reverse("evidence:upload", args=[token]))
    assert opened.status_code == 200 and 'enctype="multipart/form-data"' in opened.content.decode()
    delivery = _delivery(footage_request)
    assert delivery.state == "opened" and delivery.opened_at is not None
    first = delivery.opened_at
    client.get(reverse("evidence:upload", args=[token]))
    assert _delivery(footage_request).opened_at == first
    assert (
        AuditEvent.objects.filter(
            action="footage_delivery.opened", object_id=str(delivery.pk)
        ).count()
        == 1
    )


def test_the_custodians_answer_marks_the_delivery_answered(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    immediate_tasks: Any,
    client: Any,
) -> None:
    token = _approve(personas, footage_request, immediate_tasks)
    client.post(reverse("evidence:upload", args=[token]), {"response": "declined", "note": ""})
    delivery = _delivery(footage_request)
    assert (delivery.state, delivery.answer) == ("answered", "declined")
    assert delivery.answered_at is not None


def _wait_out(target: RequestTarget, pause: dt.timedelta) -> None:
    """As if the pause between two links had passed since the last one was queued."""
    Delivery.objects.filter(target=target).update(
        queued_at=timezone.now() - pause - dt.timedelta(seconds=1)
    )


def _resend(client: Any, target: RequestTarget, run: Any, **extra: str) -> Any:
    with run():
        return client.post(reverse("evidence:target_resend", args=[target.pk]), extra)


def test_resend_asks_for_confirmation_then_replaces_the_link(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    immediate_tasks: Any,
    officer: Any,
    client: Any,
) -> None:
    old = _approve(personas, footage_request, immediate_tasks)
    target = footage_request.targets.get()
    asked = _resend(officer, target, immediate_tasks)
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    assert Delivery.objects.filter(target=target).count() == 1
    _wait_out(target, deliveries.RESEND_AFTER_SENDING)
    done = _resend(officer, target, immediate_tasks, confirmed="1")
    assert done.status_code == 302
    first, second = Delivery.objects.filter(target=target).order_by("attempt")
    assert first.revoked_at is not None and (second.attempt, second.state) == (2, "sent")
    assert client.get(reverse("evidence:upload", args=[old])).status_code == 404
    new = deliveries.delivery_token(second)
    reopened = client.get(reverse("evidence:upload", args=[new]))
    assert (
        reopened.status_code == 200 and 'enctype="multipart/form-data"' in reopened.content.decode()
    )
    assert new in mail.outbox[-1].body and len(mail.outbox) == 2
    event = AuditEvent.objects.get(action="footage_delivery.resend")
    assert (event.actor_id, event.object_id) == (personas["ward_officer"].pk, str(second.pk))


def test_a_second_resend_right_away_is_refused_with_the_time_it_may_go(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    immediate_tasks: Any,
    officer: Any,
) -> None:
    _approve(personas, footage_request, immediate_tasks)
    target = footage_request.targets.get()
    refused = _resend(officer, target, immediate_tasks, confirmed="1")
    queued = timezone.localtime(_delivery(footage_request).queued_at)
    allowed = (queued + deliveries.RESEND_AFTER_SENDING).strftime("%H:%M")
    assert refused.status_code == 400
    assert f"a new one may be sent from {allowed}" in refused.content.decode()
    assert Delivery.objects.filter(target=target).count() == 1


def test_a_failed_delivery_may_be_resent_after_a_short_pause(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    camera: Camera,
    immediate_tasks: Any,
    officer: Any,
) -> None:
    _reach(camera, "phone", "0912345678")
    _approve(personas, footage_request, immediate_tasks)
    target = footage_request.targets.get()
    _wait_out(target, deliveries.RESEND_AFTER_FAILURE)
    _resend(officer, target, immediate_tasks, confirmed="1")
    assert Delivery.objects.filter(target=target).count() == 2


def test_an_attempt_replaced_before_it_went_out_is_not_sent(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    django_capture_on_commit_callbacks: Any,
    immediate_tasks: Any,
) -> None:
    from safeward.evidence.tasks import notify_custodian

    with django_capture_on_commit_callbacks(execute=False):
        services.footage_request_approve(personas["front_member"], footage_request)
    target = footage_request.targets.get()
    first = _delivery(footage_request)
    with django_capture_on_commit_callbacks(execute=False):
        deliveries.delivery_queue(personas["ward_officer"], target)
    notify_custodian.call(first.pk)
    first.refresh_from_db()
    assert (first.state, first.failure) == ("failed", "replaced")
    assert mail.outbox == []


def test_showing_the_link_is_an_audited_sensitive_read(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    immediate_tasks: Any,
    officer: Any,
) -> None:
    token = _approve(personas, footage_request, immediate_tasks)
    target = footage_request.targets.get()
    page = officer.get(reverse("evidence:target_link", args=[target.pk]), HTTP_HX_REQUEST="true")
    assert page.status_code == 200 and f"/evidence/upload/{token}/" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    event = AuditEvent.objects.get(action="footage_delivery.link_read")
    assert event.sensitive_read and event.actor_id == personas["ward_officer"].pk


def test_the_request_page_shows_each_delivery_state_in_words(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    immediate_tasks: Any,
    officer: Any,
) -> None:
    _approve(personas, footage_request, immediate_tasks)
    page = officer.get(reverse("evidence:request", args=[footage_request.pk])).content.decode()
    sent_at = timezone.localtime(_delivery(footage_request).sent_at).strftime("%d/%m/%Y %H:%M")
    assert 'data-state="sent"' in page and ">Sent</span>" in page and sent_at in page
    assert "Send a new link" in page and "Show the link" in page


@pytest.mark.parametrize("name", ["target_link", "target_resend"])
def test_another_wards_officer_finds_no_delivery(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    immediate_tasks: Any,
    client_for: Any,
    name: str,
) -> None:
    _approve(personas, footage_request, immediate_tasks)
    target = footage_request.targets.get()
    other = client_for("other_ward_officer")
    url = reverse(f"evidence:{name}", args=[target.pk])
    response = other.get(url) if name == "target_link" else other.post(url, {"confirmed": "1"})
    assert response.status_code == 404
    assert Delivery.objects.filter(target=target).count() == 1
    assert not AuditEvent.objects.filter(action="footage_delivery.link_read").exists()


def test_the_approver_may_not_show_the_link_or_resend(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    immediate_tasks: Any,
    client_for: Any,
) -> None:
    _approve(personas, footage_request, immediate_tasks)
    target = footage_request.targets.get()
    front = client_for("front_member")
    front.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert front.get(reverse("evidence:target_link", args=[target.pk])).status_code == 404
    page = front.get(reverse("evidence:request", args=[footage_request.pk])).content.decode()
    assert "Send a new link" not in page
    assert _resend(front, target, immediate_tasks, confirmed="1").status_code == 404
    assert Delivery.objects.filter(target=target).count() == 1
    assert not AuditEvent.objects.filter(action="footage_delivery.link_read").exists()


def test_the_api_gives_each_cameras_attempts_without_the_link(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    immediate_tasks: Any,
) -> None:
    from rest_framework.test import APIClient

    token = _approve(personas, footage_request, immediate_tasks)
    client = APIClient()
    client.force_authenticate(personas["ward_officer"])
    body = client.get(reverse("footagerequest-detail", args=[footage_request.pk])).json()
    [attempt] = body["targets"][0]["deliveries"]
    assert (attempt["attempt"], attempt["state"], attempt["failure"]) == (1, "sent", "")
    assert attempt["sent_at"] is not None and token not in str(body)


def test_closing_the_request_revokes_every_link_and_says_so(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    by_email: Camera,
    immediate_tasks: Any,
    officer: Any,
    client: Any,
) -> None:
    token = _approve(personas, footage_request, immediate_tasks)
    services.footage_request_close(personas["ward_officer"], footage_request)
    assert _delivery(footage_request).revoked_at is not None
    assert client.get(reverse("evidence:upload", args=[token])).status_code == 404
    target = footage_request.targets.get()
    page = officer.get(reverse("evidence:target_link", args=[target.pk]))
    assert "This request is not open for footage." in page.content.decode()
    assert not AuditEvent.objects.filter(action="footage_delivery.link_read").exists()

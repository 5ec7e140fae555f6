"""Public bulletins (page, Atom feed, CAP documents), the recipient's inbox and answers,
and the one-click unsubscribe every message links to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from safeward.bulletins.cap.alert import to_xml
from safeward.bulletins.cap.atom import CAP_MIME, FeedEntry, atom_feed
from safeward.bulletins.choices import Answer, AudienceKind, BulletinStatus, Channel
from safeward.bulletins.documents import cap_alert, text_for
from safeward.bulletins.models import Bulletin, Delivery
from safeward.bulletins.services import answer, unsubscribe
from safeward.core.errors import DomainError

FEED_SIZE = 50


def _public() -> object:
    """Sent, unexpired bulletins whose every audience is an area: the only ones shown openly."""
    return (
        Bulletin.objects.filter(status=BulletinStatus.SENT, expires_at__gt=timezone.now())
        .exclude(audiences__kind__in=[AudienceKind.GROUP, AudienceKind.COHORT])
        .filter(audiences__kind=AudienceKind.UNIT)
        .distinct()
        .select_related("unit")
        .prefetch_related("texts", "area_units")
        .order_by("-sent_at", "-id")
    )


def public_list(request: HttpRequest) -> HttpResponse:
    language = (get_language() or "vi")[:2]
    bulletins = [(b, text_for(b, language)) for b in _public()[:FEED_SIZE]]  # type: ignore[index]
    return render(request, "bulletins/public.html", {"bulletins": bulletins})


def feed(request: HttpRequest) -> HttpResponse:
    entries = []
    updated = timezone.now()
    for bulletin in _public()[:FEED_SIZE]:  # type: ignore[index]
        alert = cap_alert(bulletin)
        entries.append(
            FeedEntry(
                alert,
                request.build_absolute_uri(reverse("bulletins:cap", args=[bulletin.identifier])),
                request.build_absolute_uri(reverse("bulletins:public")) + f"#{bulletin.identifier}",
                language="vi-VN",
            )
        )
    body = atom_feed(
        entries,
        feed_url=request.build_absolute_uri(reverse("bulletins:feed")),
        title=_("SafeWard public bulletins"),
        updated=entries[0].alert.sent if entries else updated,
        author="SafeWard",
    )
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


def cap_document(request: HttpRequest, identifier: str) -> HttpResponse:
    """A public bulletin's CAP document; any other bulletin answers 404 here."""
    bulletin = _public().filter(identifier=identifier).first()  # type: ignore[attr-defined]
    if bulletin is None:
        raise Http404
    return HttpResponse(to_xml(cap_alert(bulletin)), content_type=f"{CAP_MIME}; charset=utf-8")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    rows = []
    if person is not None:
        language = (get_language() or "vi")[:2]
        deliveries = (
            Delivery.objects.filter(
                person=person, channel=Channel.APP, bulletin__expires_at__gt=timezone.now()
            )
            .select_related("bulletin__unit")
            .prefetch_related("bulletin__texts")
            .order_by("-bulletin__sent_at")[:100]
        )
        rows = [(d, text_for(d.bulletin, language)) for d in deliveries]
    return render(request, "bulletins/inbox.html", {"rows": rows, "answers": Answer.choices})


@login_required
@require_POST
def answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = getattr(request.user, "person", None)
    delivery = Delivery.objects.filter(pk=pk, person=person, channel=Channel.APP).first()
    if person is None or delivery is None:
        raise Http404
    value = request.POST.get("answer", "")
    try:
        answer(request.user, delivery, value)
    except DomainError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    except PermissionDenied as exc:
        raise Http404 from exc
    if value == Answer.INFORMATION:
        return redirect(f"{reverse('reports:submit')}?bulletin={delivery.bulletin.identifier}")
    return redirect("bulletins:inbox")


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a form; the token is the secret
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        done = unsubscribe(token) is not None
        return render(
            request, "bulletins/unsubscribed.html", {"done": done}, status=200 if done else 404
        )
    return render(request, "bulletins/unsubscribe.html", {"token": token})

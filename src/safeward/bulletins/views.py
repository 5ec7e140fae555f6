"""Public bulletins (page, Atom feed, CAP documents), the recipient's inbox and answers,
and the one-click unsubscribe every message links to."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from safeward.bulletins import services
from safeward.bulletins.cap.alert import to_xml
from safeward.bulletins.cap.atom import CAP_MIME, FeedEntry, atom_feed
from safeward.bulletins.choices import (
    Answer,
    AudienceKind,
    BulletinStatus,
    Category,
    Channel,
    DeliveryState,
)
from safeward.bulletins.documents import cap_alert, text_for
from safeward.bulletins.filters import BulletinFilterSet
from safeward.bulletins.forms import BulletinForm, ResendForm
from safeward.bulletins.models import APPROVE, VIEW_RESTRICTED, Bulletin, Delivery
from safeward.bulletins.services import answer, answer_figures, delivery_figures, unsubscribe
from safeward.bulletins.stats import ward_bulletin_stats
from safeward.bulletins.tables import BulletinTable
from safeward.core.errors import DomainError
from safeward.core.replica import replica_reads
from safeward.core.scoping import has_perm_at
from safeward.core.views import (
    ObjectDeleteView,
    ObjectListView,
    ObjectView,
    PanelActionView,
    ServiceFormView,
)
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit

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


# --- staff pages ---------------------------------------------------------------------------


class BulletinListView(ObjectListView):
    queryset = Bulletin.objects.select_related("unit__parent").prefetch_related("texts")
    filterset = BulletinFilterSet
    table = BulletinTable
    ordering = ("-created_at", "-pk")
    template_name = "bulletins/list.html"
    extra: ClassVar[dict[str, Any]] = {
        "statuses": BulletinStatus.choices,
        "categories": Category.choices,
    }


def _audience_rows(request: HttpRequest, bulletin: Bulletin) -> list[dict[str, Any]]:
    """Each audience as the reader may know it: which cohort only for its keepers and the
    approvers; everyone else reads that a restricted cohort receives it."""
    user = request.user
    names_cohort = has_perm_at(user, VIEW_RESTRICTED, bulletin.unit) or has_perm_at(
        user, APPROVE, bulletin.unit
    )
    rows = []
    for a in bulletin.audiences.select_related("unit__parent", "group", "cohort"):
        if a.kind == AudienceKind.UNIT:
            label = str(a.unit)
        elif a.kind == AudienceKind.GROUP:
            label = str(a.group)
        else:
            label = str(a.cohort) if names_cohort else _("A restricted cohort")
        rows.append(
            {
                "kind": a.get_kind_display(),
                "label": label,
                "wording": (a.cohort.neutral_wording if names_cohort and a.cohort else ""),
            }
        )
    return rows


def _panel_context(request: HttpRequest, bulletin: Bulletin) -> dict[str, Any]:
    user = request.user
    unit = bulletin.unit
    restricted = bulletin.is_restricted
    may_change = has_perm_at(user, "bulletins.change_bulletin", unit) and (
        not restricted or has_perm_at(user, VIEW_RESTRICTED, unit)
    )
    figures = delivery_figures(user, bulletin)
    states = [s for s in DeliveryState if any(s.value in f for f in figures.values())]
    channels = {c.value: c.label for c in Channel}
    return {
        "bulletin": bulletin,
        "texts": list(bulletin.texts.all()),
        "audiences": _audience_rows(request, bulletin),
        "figures": [
            (channels.get(channel, channel), [by_state.get(s.value) for s in states])
            for channel, by_state in sorted(figures.items())
        ],
        "states": states,
        "answers": answer_figures(user, bulletin),
        "restricted": restricted,
        "public": bulletin.is_public and bulletin.status == BulletinStatus.SENT,
        "may_submit": bulletin.status == BulletinStatus.DRAFT
        and has_perm_at(user, "bulletins.add_bulletin", unit),
        "may_approve": bulletin.status == BulletinStatus.AWAITING
        and has_perm_at(user, APPROVE, unit)
        and bulletin.created_by_id != getattr(user, "pk", None),
        "may_send": bulletin.status == BulletinStatus.APPROVED
        and not bulletin.expired
        and may_change,
        "may_resend": bulletin.status == BulletinStatus.SENT
        and not bulletin.expired
        and may_change,
        "may_delete": bulletin.status == BulletinStatus.DRAFT
        and has_perm_at(user, "bulletins.delete_bulletin", unit),
        "resend_form": ResendForm(),
    }


class BulletinView(ObjectView):
    queryset = Bulletin.objects.select_related("unit__parent", "references", "approved_by")
    template_name = "bulletins/bulletin.html"
    context_object_name = "bulletin"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        return {**context, **_panel_context(request, obj)}


class BulletinAddView(ServiceFormView):
    queryset = Bulletin.objects.all()
    form_class = BulletinForm
    service = services.bulletin_draft
    template_name = "bulletins/write.html"
    back_url = "bulletins:list"
    success_url = "bulletins:bulletin"
    success_message = gettext_lazy("The draft is saved. Read it through, then submit it.")

    def form_data(self, form: Any) -> dict[str, Any]:
        return dict(form.service_data())


class BulletinActionView(PanelActionView):
    """An action from the bulletin's panel; the services check the right to act."""

    queryset = Bulletin.objects.select_related("unit__parent", "references", "approved_by")
    action = "view"
    panel_template = "bulletins/_panel.html"
    page_template = "bulletins/bulletin.html"
    back_url = "bulletins:bulletin"
    refused_htmx_status = 200

    def get_panel_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {**self.get_context(request, object=obj), **_panel_context(request, obj)}


class BulletinSubmitView(BulletinActionView):
    service = services.bulletin_submit
    success_message = gettext_lazy("Submitted.")


class BulletinApproveView(BulletinActionView):
    service = services.bulletin_approve
    confirm = True
    success_message = gettext_lazy("Approved: it can be sent.")


class BulletinSendView(BulletinActionView):
    service = services.bulletin_send
    confirm = True
    success_message = gettext_lazy("Sending: the deliveries are being queued.")


class BulletinResendView(BulletinActionView):
    form_class = ResendForm
    service = services.bulletin_resend
    confirm = True
    success_message = gettext_lazy("Sent again to those who have not answered.")


class BulletinDeleteView(ObjectDeleteView):
    queryset = Bulletin.objects.select_related("unit")
    service = services.bulletin_delete
    success_url = "bulletins:list"


class LoudspeakerScriptView(ObjectView):
    """The bulletin as the ward's public-address announcer reads it, printable: never for a
    bulletin to a restricted cohort (a loudspeaker reaches everyone)."""

    queryset = Bulletin.objects.select_related("unit")
    template_name = "bulletins/script.html"
    context_object_name = "bulletin"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        text = next((t for t in obj.texts.all() if t.language == "vi"), None)
        return {**context, "text": text, "restricted": obj.is_restricted}


class BulletinCapView(ObjectView):
    """Any bulletin the user may see as its CAP 1.2 document (scope Private for one to
    groups or cohorts, naming no recipient)."""

    queryset = Bulletin.objects.select_related("unit", "references")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        bulletin = self.get_object(request, **kwargs)
        body = to_xml(cap_alert(bulletin))
        return HttpResponse(body, content_type=f"{CAP_MIME}; charset=utf-8")


@replica_reads
def public_stats(request: HttpRequest) -> HttpResponse:
    """Per-ward monthly counts of bulletins: published for everyone, small counts hidden."""
    sent = Bulletin.objects.filter(status=BulletinStatus.SENT)
    wards = AdminUnit.objects.current().filter(
        Q(pk__in=sent.values("unit")) | Q(pk__in=sent.values("unit__parent")),
        level=UnitLevel.WARD,
    )
    rows = [(ward, ward_bulletin_stats(ward)) for ward in wards.natural()]
    return render(request, "bulletins/stats.html", {"rows": rows})

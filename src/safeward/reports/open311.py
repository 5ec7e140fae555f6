"""Open311 GeoReport v2 at ``/open311/v2/``, in XML and JSON as the specification writes them.

Public reads never carry the text or the exact place of a security report: ``description``,
``status_notes``, ``lat`` and ``long`` are empty, ``address`` names only the ward. Notes reach
the reporter on the tracking page, behind the report's secret. A ``media_url`` posted with a
request is stored as given (never fetched) and returned by ``requests/{id}`` only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
from collections.abc import Callable, Mapping
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from safeward.core.errors import DomainError
from safeward.core.unavailable import RETRY_AFTER_SECONDS, outage
from safeward.reports import ratelimit
from safeward.reports.choices import DONE_STATUSES, OPEN_STATUSES, EventKind
from safeward.reports.models import Open311Client, Report, ReportEvent, ServiceCategory
from safeward.reports.services import (
    ReporterInfo,
    category_by_code,
    hash_api_key,
    report_submit_once,
)

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-01T00:00:00+07:00"
MAX_SPAN = dt.timedelta(days=90)
MAX_ROWS = 1000
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
URL_SPACE = "/open311/"
# Dates outside these years are no report's (and past them datetime arithmetic overflows).
FIRST_YEAR, LAST_YEAR = 1900, 2999
# Characters XML 1.0 cannot carry at all, not even escaped.
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
BAD_BODY = (
    MultiPartParserError,
    SuspiciousOperation,
    RequestDataTooBig,
    UnreadablePostError,
    BadRequest,
)

logger = logging.getLogger(__name__)


class Open311Response(HttpResponse):
    """A response already in GeoReport's format (the error middleware leaves it alone)."""


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return XML_ILLEGAL.sub("", str(value))


def _xml_value(parent: ET.Element, name: str, value: Any, item_names: Mapping[str, str]) -> None:
    node = ET.SubElement(parent, name)
    if isinstance(value, list):
        for item in value:
            _xml_value(node, item_names[name], item, item_names)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(node, key, inner, item_names)
    else:
        node.text = _text(value)


ITEM_NAMES = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "keywords": "keyword",
}


def render(data: Any, fmt: str, root: str, item: str, status: int = 200) -> HttpResponse:
    """JSON as the data itself (arrays stay arrays); XML as ``<root><item>...</item></root>``."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
        return Open311Response(body, status=status, content_type=CONTENT_TYPES["json"])
    top = ET.Element(root)
    rows = data if isinstance(data, list) else [data]
    for row in rows:
        node = top if not isinstance(data, list) else ET.SubElement(top, item)
        for key, value in row.items():
            _xml_value(node, key, value, ITEM_NAMES)
    body = ET.tostring(top, encoding="unicode")
    xml = '<?xml version="1.0" encoding="utf-8"?>\n' + body
    return Open311Response(xml.encode(), status=status, content_type=CONTENT_TYPES["xml"])


def render_error(fmt: str, status: int, description: str) -> HttpResponse:
    response = render(
        [{"code": status, "description": description}], fmt, "errors", "error", status=status
    )
    return response


def stamp(value: dt.datetime | None) -> str | None:
    """W3C datetime with the Vietnam offset, e.g. ``2026-11-29T14:20:00+07:00``."""
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


# --- the endpoints ------------------------------------------------------------------------


def _locale(params: Mapping[str, str]) -> str | None:
    """The language a client asks for with ``locale`` (``en``, ``en_US``, ``ar-SA``), when
    SafeWard speaks it; otherwise the request's own language applies."""
    code = params.get("locale", "").replace("_", "-").split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else None


def endpoint(
    methods: list[str],
) -> Callable[[Callable[..., Any]], Callable[..., HttpResponse]]:
    """Wrap a handler: method check, empty params dropped, errors in Open311's format;
    texts (category names, questions, messages) in the ``locale`` asked for, else in the
    request's language."""

    def decorator(func: Callable[..., Any]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @require_http_methods(methods)
        def view(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                source = request.POST if request.method == "POST" else request.GET
                params = {k: str(v) for k, v in source.items() if str(v).strip() != ""}
                lists = {k: [v for v in source.getlist(k) if v.strip()] for k in source}
            except BAD_BODY:
                return render_error(fmt, 400, _("The request body could not be read."))
            if any("\x00" in key + value for key, value in params.items()):
                # No text column (PostgreSQL's least of all) can hold a NUL character.
                return render_error(fmt, 400, _("The request could not be read."))
            try:
                with translation.override(_locale(params) or translation.get_language()):
                    response: HttpResponse = func(request, fmt, params, lists=lists, **kwargs)
                    response["Content-Language"] = translation.get_language()
                return response
            except Open311Error as exc:
                return render_error(fmt, exc.status, exc.description)
            except DomainError as exc:
                return render_error(fmt, 400, exc.message)
            except ratelimit.RateLimited as exc:
                response = render_error(fmt, 429, exc.message)
                response["Retry-After"] = str(exc.retry_after)
                return response

        return view

    return decorator


def _check_jurisdiction(params: Mapping[str, str]) -> None:
    from safeward.geo.models import AdminUnit

    code = params.get("jurisdiction_id")
    if code and not AdminUnit.objects.filter(code=code).exists():
        raise Open311Error(404, _("jurisdiction_id “{id}” was not found.").format(id=code))


@endpoint(["GET"])
def discovery(
    request: HttpRequest, fmt: str, params: Mapping[str, str], **_kw: Any
) -> HttpResponse:
    url = request.build_absolute_uri(reverse("reports:open311_root"))
    data = {
        "changeset": CHANGESET,
        "contact": _("Your ward police station"),
        "key_service": _("Ask the provincial police for an api_key."),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(data, fmt, "discovery", "discovery")


def _categories() -> list[ServiceCategory]:
    return list(ServiceCategory.objects.filter(active=True).prefetch_related("attributes"))


def service_row(category: ServiceCategory) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.attributes.all()),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


@endpoint(["GET"])
def services(request: HttpRequest, fmt: str, params: Mapping[str, str], **_kw: Any) -> HttpResponse:
    _check_jurisdiction(params)
    return render([service_row(c) for c in _categories()], fmt, "services", "service")


def attribute_row(attr: Any) -> dict[str, Any]:
    return {
        "variable": True,
        "code": attr.code,
        "datatype": attr.datatype,
        "required": attr.required,
        "datatype_description": None,
        "order": attr.order,
        "description": attr.description,
        "values": [{"key": key, "name": name} for key, name in attr.options()],
    }


@endpoint(["GET"])
def service_definition(
    request: HttpRequest, fmt: str, params: Mapping[str, str], code: str, **_kw: Any
) -> HttpResponse:
    _check_jurisdiction(params)
    category = ServiceCategory.objects.filter(code=code, active=True).first()
    if category is None:
        raise Open311Error(404, _("service_code “{code}” was not found.").format(code=code))
    data = {
        "service_code": category.code,
        "attributes": [attribute_row(a) for a in category.attributes.all()],
    }
    return render(data, fmt, "service_definition", "service_definition")


def request_row(report: Report, *, with_media: bool = False) -> dict[str, Any]:
    return {
        "service_request_id": report.tracking_code,
        "status": report.public_status,
        "status_notes": None,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": None,
        "agency_responsible": report.ward.name,
        "service_notice": None,
        "requested_datetime": stamp(report.received_at),
        "updated_datetime": stamp(report.updated_at),
        "expected_datetime": stamp(
            timezone.make_aware(dt.datetime.combine(report.due_on, dt.time(17, 0)))
        ),
        "address": report.ward.name,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": (report.media_url or None) if with_media else None,
    }


def _reports() -> Any:
    return Report.objects.select_related("category", "ward")


def _parse_w3(params: Mapping[str, str], name: str) -> dt.datetime | None:
    raw = params.get(name)
    if raw is None:
        return None
    invalid = Open311Error(
        400, _("{name} must be a W3C datetime such as 2026-01-01T00:00:00Z.").format(name=name)
    )
    try:
        # A well-formed but impossible date (2026-02-30, T24:00, +99:00) raises ValueError.
        value = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        raise invalid from None
    if value is None:
        raise invalid
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise Open311Error(
            400,
            _("{name} must be between the years {first} and {last}.").format(
                name=name, first=FIRST_YEAR, last=LAST_YEAR
            ),
        )
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _date_range(params: Mapping[str, str]) -> tuple[dt.datetime, dt.datetime]:
    start, end = _parse_w3(params, "start_date"), _parse_w3(params, "end_date")
    if start and end and end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if start and end and end - start > MAX_SPAN:
        raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    end = end or ((start + MAX_SPAN) if start else timezone.now())
    return (start or end - MAX_SPAN), end


def _status_filter(params: Mapping[str, str]) -> Q:
    wanted = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    unknown = wanted - {"open", "closed"}
    if unknown:
        raise Open311Error(400, _("status must be open or closed."))
    q = Q()
    if wanted == {"open"}:
        q = Q(status__in=OPEN_STATUSES)
    elif wanted == {"closed"}:
        q = Q(status__in=DONE_STATUSES)
    return q


def _split(params: Mapping[str, str], name: str) -> list[str]:
    return [v.strip() for v in params.get(name, "").split(",") if v.strip()]


@endpoint(["GET", "POST"])
def requests_view(
    request: HttpRequest, fmt: str, params: Mapping[str, str], lists: Mapping[str, list[str]]
) -> HttpResponse:
    _check_jurisdiction(params)
    if request.method == "POST":
        return create_request(request, fmt, params, lists)
    ids = _split(params, "service_request_id")
    if ids:
        rows = _reports().filter(tracking_code__in=ids)
    else:
        start, end = _date_range(params)
        rows = _reports().filter(received_at__range=(start, end)).filter(_status_filter(params))
        codes = _split(params, "service_code")
        if codes:
            rows = rows.filter(category__code__in=codes)
    rows = rows.order_by("-received_at")[:MAX_ROWS]
    return render([request_row(r) for r in rows], fmt, "service_requests", "request")


@endpoint(["GET"])
def request_detail(
    request: HttpRequest, fmt: str, params: Mapping[str, str], request_id: str, **_kw: Any
) -> HttpResponse:
    _check_jurisdiction(params)
    report = _reports().filter(tracking_code=request_id).first()
    if report is None:
        raise Open311Error(404, _("service_request_id “{id}” was not found.").format(id=request_id))
    return render([request_row(report, with_media=True)], fmt, "service_requests", "request")


@endpoint(["GET"])
def token_detail(
    request: HttpRequest, fmt: str, params: Mapping[str, str], token: str, **_kw: Any
) -> HttpResponse:
    _check_jurisdiction(params)
    report = Report.objects.filter(tracking_code=token).first()
    if report is None:
        raise Open311Error(404, _("token “{token}” was not found.").format(token=token))
    data = [{"service_request_id": report.tracking_code, "token": token}]
    return render(data, fmt, "service_requests", "request")


@endpoint(["GET"])
def request_updates(
    request: HttpRequest, fmt: str, params: Mapping[str, str], **_kw: Any
) -> HttpResponse:
    """The ``servicerequestupdates`` extension: public status changes in a date range."""
    _check_jurisdiction(params)
    start, end = _date_range(params)
    events = (
        ReportEvent.objects.filter(public=True, at__range=(start, end))
        .filter(kind__in=[EventKind.SUBMITTED, EventKind.STATUS, EventKind.MERGED])
        .select_related("report")
        .order_by("at", "id")[:MAX_ROWS]
    )
    rows = [
        {
            "update_id": str(e.pk),
            "service_request_id": e.report.tracking_code,
            "status": "closed" if e.status in DONE_STATUSES else "open",
            "updated_datetime": stamp(e.at),
            "description": None,
            "media_url": None,
        }
        for e in events
    ]
    return render(rows, fmt, "service_request_updates", "request_update")


# --- creating a request -------------------------------------------------------------------


def client_for_key(raw: str) -> Open311Client:
    client = (
        Open311Client.objects.filter(key_hash=hash_api_key(raw), active=True).first()
        if raw
        else None
    )
    if client is None:
        raise Open311Error(403, _("Invalid api_key received -- can't proceed with create_request."))
    return client


def _attributes(lists: Mapping[str, list[str]]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for key, values in lists.items():
        if key.startswith("attribute[") and values:
            code = key[len("attribute[") :].split("]")[0]
            answers[code] = values if key.endswith("[]") or len(values) > 1 else values[0]
    return answers


def _float(params: Mapping[str, str], name: str) -> float | None:
    if name not in params:
        return None
    try:
        value = float(params[name])
    except ValueError:
        raise Open311Error(400, _("{name} must be a number.").format(name=name)) from None
    if not math.isfinite(value):
        raise Open311Error(400, _("{name} must be a number.").format(name=name))
    return value


def create_request(
    request: HttpRequest, fmt: str, params: Mapping[str, str], lists: Mapping[str, list[str]]
) -> HttpResponse:
    client = client_for_key(params.get("api_key", ""))
    if "service_code" not in params:
        raise Open311Error(400, _("service_code was not provided."))
    lat, lon = _float(params, "lat"), _float(params, "long")
    if lat is None or lon is None:
        raise Open311Error(400, _("lat and long are required."))
    reporter = ReporterInfo(
        " ".join(p for p in (params.get("first_name"), params.get("last_name")) if p),
        params.get("phone", ""),
        params.get("email", ""),
        anonymous=not any(params.get(k) for k in ("first_name", "last_name", "phone", "email")),
    )
    ratelimit.hit(
        "open311", str(client.pk), ratelimit.configured("REPORTS_RATE_PER_CLIENT", "600/hour")
    )
    if reporter.phone or reporter.email:
        ratelimit.check_reporter(reporter.phone or reporter.email)
    submission = report_submit_once(
        None,
        category=_category(params["service_code"]),
        description=params.get("description", ""),
        channel="open311",
        latitude=lat,
        longitude=lon,
        address=params.get("address_string", ""),
        media_url=params.get("media_url", ""),
        attributes=_attributes(lists),
        reporter=reporter,
        idempotency_owner=f"open311:{client.pk}",
        idempotency_key=request.headers.get("Idempotency-Key", "")[:120],
    )
    return render(
        [_created_row(submission.report, submission.secret)], fmt, "service_requests", "request"
    )


def _category(code: str) -> ServiceCategory:
    try:
        return category_by_code(code)
    except DomainError:
        raise Open311Error(
            404, _("service_code “{code}” was not found.").format(code=code)
        ) from None


def _created_row(report: Report, secret: str | None) -> dict[str, Any]:
    notice = (
        _("Keep your tracking code {code} and secret {secret} to follow this report.").format(
            code=report.tracking_code, secret=secret
        )
        if secret
        else _("This request was already received.")
    )
    return {
        "service_request_id": report.tracking_code,
        "token": report.tracking_code,
        "service_notice": notice,
        "account_id": None,
    }


def root(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=204)


# --- every other answer in the Open311 URL space ----------------------------------------


def _format_of(path: str) -> str:
    """The format the URL asks for; GeoReport's default is XML."""
    return "json" if path.endswith(".json") else "xml"


def _error_description(status: int) -> str:
    if status == 404:
        return _("The requested resource was not found.")
    if status == 405:
        return _("This method is not allowed here.")
    if status == 429:
        return _("Too many requests; try again later.")
    if status < 500:
        return _("The request could not be read.")
    if status == 503:
        return _("A service SafeWard depends on is unavailable; try again later.")
    return _("The server could not answer this request.")


class Open311ErrorMiddleware:
    """Every error under /open311/ answers as a GeoReport v2 error list in the URL's format.

    The views render their own errors; this catches what never reaches them or escapes
    them: unmatched URLs (Django's 404), method checks (405), unreadable bodies (400)
    and any exception left: a 503 with Retry-After when a dependency is down, else logged
    and a 500, in the same format.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(URL_SPACE) or isinstance(response, Open311Response):
            return response
        if response.status_code < 400:
            return response
        status = response.status_code
        replaced = render_error(_format_of(request.path), status, _error_description(status))
        for header in ("Allow", "Retry-After"):
            if header in response:
                replaced[header] = response[header]
        return replaced

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(URL_SPACE):
            return None
        fmt = _format_of(request.path)
        if isinstance(exception, BAD_BODY):
            return render_error(fmt, 400, _("The request could not be read."))
        if outage(exception) is not None:
            # A dependency is down: try again later, in the protocol's own error shape.
            response = render_error(fmt, 503, _error_description(503))
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        logger.exception("Open311 request failed: %s", request.path)
        return render_error(fmt, 500, _error_description(500))

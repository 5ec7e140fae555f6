"""A dependency that is down answers 503 with Retry-After, never 500.

Django turns an exception no view handled into its 500 handler, wherever it was raised (a
view, a middleware saving the session, a template). :func:`server_error` is that handler:
when the exception, or one it was raised from, is an outage of something SafeWard depends
on — the database unreachable or locked, Redis refusing connections, object storage out of
reach — the request answers 503 with ``Retry-After``, in the API's JSON shape under
``/api/`` and as a page elsewhere. The page is rendered without the request context: the
context processors read the database and the cache, which may be what is down.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 15


def _outage_types() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [OperationalError, InterfaceError, ConnectionError]
    try:
        import redis.exceptions

        found += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover - redis is installed with the project
        pass
    try:
        import botocore.exceptions

        found += [
            botocore.exceptions.EndpointConnectionError,
            botocore.exceptions.ConnectTimeoutError,
            botocore.exceptions.ReadTimeoutError,
        ]
    except ImportError:  # pragma: no cover - botocore comes with django-storages' S3 backend
        pass
    return tuple(found)


OUTAGES = _outage_types()


def outage(exc: BaseException | None) -> BaseException | None:
    """The dependency outage behind ``exc`` (itself or what it was raised from), if any."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OUTAGES):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def unavailable(request: HttpRequest, cause: BaseException) -> HttpResponse:
    log.warning("503 for %s: %s: %s", request.path, type(cause).__name__, cause)
    message = _("SafeWard cannot reach one of its services right now. Try again in a moment.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": message, "code": "unavailable"},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        body = loader.get_template("503.html").render({"message": message})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Django's 500 handler: 503 with Retry-After for an outage, else the 500 page."""
    cause = outage(sys.exc_info()[1])
    if cause is not None:
        return unavailable(request, cause)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("The server could not finish this request."), "code": "server_error"},
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    return HttpResponseServerError(loader.get_template("500.html").render())

"""Shared pieces for list pages, forms and endpoints.

List pages filtered by the list's filter set (see :mod:`safeward.core.filters`), and
form handling that turns a ``DomainError`` into field
errors (with an htmx partial answer when the request came from htmx).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safeward.core.errors import Conflict, DomainError
from safeward.core.filters import ScopedFilterSet, error_lines, filter_list, parse_iso_date
from safeward.core.units import unit_tree


def parse_day(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    day = parse_iso_date(value)
    if day is None:
        raise DomainError(
            _("{field} must be a date written YYYY-MM-DD.").format(field=field), field=field
        )
    return day


def reject_fixed(data: dict[str, Any], instance: Any, *names: str) -> dict[str, Any]:
    """Drop fields fixed at creation, refusing any attempt to change them."""
    for name in names:
        if name in data and data.pop(name) != getattr(instance, name):
            raise Conflict(_("{field} cannot be changed.").format(field=name), field=name)
    return data


def querystring_base(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def handle_form(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    template: str,
    context: dict[str, Any],
    success: Callable[[Any], str],
) -> HttpResponse:
    """Render ``form``; on a valid POST call ``save`` and redirect to ``success(obj)``.

    An htmx request gets only the ``form`` partial back (with a ``HX-Redirect`` on success).
    """
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                obj = save(form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                url = success(obj)
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = url
                    return response
                return redirect(url)
    name = f"{template}#form" if request.headers.get("HX-Request") else template
    return render(request, name, {**context, "form": form}, status=status)


def filter_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """Context for list pages: the GET filters, the units the user may filter by, the pager base."""
    units = unit_tree().visible_units(request.user, levels=["province", "district", "ward"])
    return {
        "g": request.GET,
        "filter_units": units,
        "querystring_base": querystring_base(request),
        **extra,
    }


def list_page(
    request: HttpRequest,
    qs: Any,
    template: str,
    *,
    order: list[str],
    filterset: type[ScopedFilterSet],
    totals: dict[str, Any] | None = None,
    add_perm: str | None = None,
    per_page: int = 50,
    **extra: Any,
) -> HttpResponse:
    """A filtered, paginated list page (400 with the form's errors on a bad filter).

    ``filterset`` is the list's filter set (the one its API uses), ``totals`` are
    aggregates over the filtered rows, and ``add_perm`` decides whether the page offers "add".
    """
    from django.core.paginator import Paginator

    from safeward.core.scoping import has_perm_anywhere

    filters, qs, error = filter_list(request, filterset, qs)
    context = filter_context(
        request,
        filters=filters,
        filter_error=error,
        filter_errors=error_lines(filters) if error else [],
        page=Paginator(qs.order_by(*order), per_page).get_page(request.GET.get("page")),
        totals=qs.aggregate(**totals) if totals else None,
        can_add=bool(add_perm) and has_perm_anywhere(request.user, add_perm or ""),
        **extra,
    )
    return render(request, template, context, status=400 if error else 200)

"""Shared pieces for list pages, forms and endpoints.

The ``unit``/``from``/``to`` filters every list understands, choice filters that
reject unknown values, and form handling that turns a ``DomainError`` into field
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

from safeward.core.errors import DomainError
from safeward.geo.models import AdminUnit


def parse_day(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError(
            _("{field} must be a date written YYYY-MM-DD.").format(field=field), field=field
        ) from exc


def filter_unit_dates(qs: Any, params: Any, user: Any) -> Any:
    """Apply ``unit`` (subtree, with predecessors), ``from`` and ``to`` filters."""
    from safeward.geo.models import AdminUnit

    if params.get("unit"):
        unit = (
            AdminUnit.objects.filter(pk=params["unit"]).first()
            if params["unit"].isdigit()
            else None
        )
        if unit is None:
            raise DomainError(_("Unknown unit “{unit}”.").format(unit=params["unit"]), field="unit")
        qs = qs.in_unit(unit)
    start, end = parse_day(params.get("from"), "from"), parse_day(params.get("to"), "to")
    if start and end and start > end:
        raise DomainError(_("The start date is after the end date."), field="from")
    return qs.between(start, end)


def filter_choices(qs: Any, params: Any, fields: dict[str, Any]) -> Any:
    """Filter on choice fields given as query parameters, rejecting unknown values."""
    for name, choices in fields.items():
        value = params.get(name)
        if not value:
            continue
        if value not in choices.values:
            raise DomainError(
                _("“{value}” is not a valid {field}.").format(value=value, field=name), field=name
            )
        qs = qs.filter(**{name: value})
    return qs


def reject_fixed(data: dict[str, Any], instance: Any, *names: str) -> dict[str, Any]:
    """Drop fields fixed at creation, refusing any attempt to change them."""
    for name in names:
        if name in data and data.pop(name) != getattr(instance, name):
            raise DomainError(_("{field} cannot be changed.").format(field=name), field=name)
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
    units = (
        AdminUnit.objects.restrict(request.user, "view")
        .filter(level__in=["province", "district", "ward"])
        .current()
        .order_by("path")
    )
    return {
        "g": request.GET,
        "filter_units": units,
        "querystring_base": querystring_base(request),
        **extra,
    }


def filtered(request: HttpRequest, qs: Any, choices: dict[str, Any]) -> tuple[Any, str]:
    """``qs`` narrowed by the request's unit, date and choice filters, and the error if any."""
    try:
        return filter_choices(
            filter_unit_dates(qs, request.GET, request.user), request.GET, choices
        ), ""
    except DomainError as exc:
        return qs.none(), exc.message


def list_page(
    request: HttpRequest,
    qs: Any,
    template: str,
    *,
    order: list[str],
    choices: dict[str, Any] | None = None,
    search: str | None = None,
    totals: dict[str, Any] | None = None,
    add_perm: str | None = None,
    per_page: int = 50,
    **extra: Any,
) -> HttpResponse:
    """A filtered, searchable, paginated list page (400 with the message on a bad filter).

    ``choices`` maps query parameters to the choice classes they must belong to,
    ``search`` names the field ``q`` matches, ``totals`` are aggregates over the
    filtered rows, and ``add_perm`` decides whether the page offers "add".
    """
    from django.core.paginator import Paginator

    from safeward.core.scoping import has_perm_anywhere

    qs, error = filtered(request, qs, choices or {})
    q = request.GET.get("q", "").strip()
    if search and q:
        qs = qs.filter(**{f"{search}__icontains": q})
    context = filter_context(
        request,
        page=Paginator(qs.order_by(*order), per_page).get_page(request.GET.get("page")),
        filter_error=error,
        totals=qs.aggregate(**totals) if totals else None,
        can_add=bool(add_perm) and has_perm_anywhere(request.user, add_perm or ""),
        **extra,
    )
    return render(request, template, context, status=400 if error else 200)

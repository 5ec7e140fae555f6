"""The generic page views: a page, a list, a row, a form (the actions on a row are in
``actions``; see the package's text)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from safeward.core.audit import audit_record
from safeward.core.csvsafe import csv_writer
from safeward.core.errors import DomainError
from safeward.core.filters import ScopedFilterSet, error_lines
from safeward.core.scoping import has_perm_anywhere
from safeward.core.tables import (
    PER_PAGE_MAX,
    SELECT_COLUMN,
    Table,
    bounded_int,
    save_columns,
    saved_columns,
    select_column,
)

FORM_TEMPLATE = "web/object_form.html"
DELETE_TEMPLATE = "web/object_delete.html"
FILTER_UNIT_LEVELS = ("province", "district", "ward")


class Echo:
    """A file-like object that hands back what is written (for a streamed CSV)."""

    def write(self, value: str) -> str:
        return value


def perm_name(model: type[Model], action: str) -> str:
    """``app.action_model``: the permission a page checks for ``action`` on ``model``."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def querystring_base(request: HttpRequest, *drop: str) -> str:
    params = request.GET.copy()
    for name in ("page", *drop):
        params.pop(name, None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def has_partial(template_name: str, partial: str) -> bool:
    """Whether the template declares the partial htmx asks for (else it renders whole)."""
    try:
        get_template(f"{template_name}#{partial}")
    except TemplateDoesNotExist:
        return False
    return True


def next_url(request: HttpRequest, default: str = "/home/") -> str:
    """Where to go after a step: the request's ``next`` when it stays on this site (never
    another host, nor a scheme such as ``javascript:``), else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class ScopedView(View):
    """Signed-in users only; rows come from ``queryset`` through ``restrict(user, action)``.

    ``queryset`` is declared unscoped (``Group.objects.select_related("unit")``); every
    request scopes a fresh copy. ``permission`` (default: ``action`` on the model) must
    be held somewhere, or the page answers 404; a page whose right is not a permission
    (the staff who may take a report, say) overrides ``has_permission``. Rows that belong
    to a user rather than to a unit (their API tokens) name the owner in ``owner_field``:
    the view then shows the user's own rows only, and needs no permission.
    """

    queryset: ClassVar[QuerySet[Any] | None] = None
    action: ClassVar[str] = "view"
    permission: ClassVar[str | None] = None
    require_permission: ClassVar[bool] = True
    template_name: ClassVar[str] = ""
    extra: ClassVar[dict[str, Any]] = {}
    owner_field: ClassVar[str] = ""

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponseBase]:
        """The view function; a filtered view carries its filter set (``filterset_class``),
        as function views marked with ``lists`` do, for the tests that walk the URLconf."""
        view = super().as_view(**initkwargs)
        filterset = getattr(cls, "filterset", None)
        if isinstance(filterset, type):
            view.filterset_class = filterset  # type: ignore[attr-defined]
        return view

    @property
    def model(self) -> type[Model]:
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no queryset")
        return self.queryset.model

    def get_permission(self) -> str:
        return self.permission or perm_name(self.model, self.action)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if self.require_permission and not self.has_permission(request):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self, request: HttpRequest) -> bool:
        """Whether the user may open the page at all (else 404, as for a row out of scope)."""
        if self.owner_field:
            return True  # everyone may see their own rows, and only those
        return has_perm_anywhere(request.user, self.get_permission())

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no queryset")
        if self.owner_field:
            return self.queryset.filter(**{self.owner_field: request.user})
        return self.queryset.all().restrict(request.user, self.action)  # type: ignore[attr-defined,no-any-return]

    def get_visible(self, request: HttpRequest, action: str | None = None, **lookup: Any) -> Any:
        """The row ``lookup`` finds among those the user may ``action``; 404 otherwise."""
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no queryset")
        if self.owner_field:
            try:
                return self.get_queryset(request).get(**lookup)
            except (self.queryset.model.DoesNotExist, ValueError, TypeError) as exc:
                raise Http404 from exc
        return self.queryset.all().get_visible(request.user, action or self.action, **lookup)  # type: ignore[attr-defined]

    def can(self, request: HttpRequest, action: str, obj: Model) -> bool:
        """Whether the user may ``action`` on ``obj`` (for showing edit and delete links)."""
        if self.queryset is None:
            return False
        if self.owner_field:
            return bool(self.get_queryset(request).filter(pk=obj.pk).exists())
        scoped = self.queryset.model._default_manager.all().restrict(request.user, action)
        return bool(scoped.filter(pk=obj.pk).exists())

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        """The page's own context on top of ``context`` (override to add to it)."""
        return {**self.extra, **context}


class ScopedPageView(ScopedView):
    """A page of its own (a map, a dashboard) for users holding ``permission``.

    Neither a list, a detail nor a form: ``get_context`` gives what the template shows,
    read through ``get_queryset`` (the user's rows) when it needs rows.
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, self.template_name, self.get_context(request, **kwargs))


class FilteredPageView(ScopedPageView):
    """A page of its own whose content follows a filter form (a unit, a period): the same
    filter sets as the lists, and the same 400 with the form's errors on a bad value, but
    what it shows is computed (figures, a service's rows) rather than a table of rows.

    ``get_filtered_context`` adds what the valid choice shows; ``filter_queryset`` is what
    the filter set narrows (none by default: such a page reads only the form's values).
    """

    filterset: ClassVar[type[ScopedFilterSet]]

    def filter_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.filterset._meta.model._default_manager.none()  # type: ignore[no-any-return]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filters = self.filterset(
            request.GET, queryset=self.filter_queryset(request), request=request
        )
        valid = filters.is_valid()
        context = self.get_context(
            request,
            **kwargs,
            filters=filters,
            filter_error=not valid,
            filter_errors=[] if valid else error_lines(filters),
            g=request.GET,
            querystring_base=querystring_base(request),
        )
        if valid:
            context = self.get_filtered_context(request, filters.form.cleaned_data, context)
        return render(request, self.template_name, context, status=200 if valid else 400)

    def get_filtered_context(
        self, request: HttpRequest, chosen: dict[str, Any], context: dict[str, Any]
    ) -> dict[str, Any]:
        """Override: what the page shows for the filter form's valid ``chosen`` values."""
        return context


class ObjectListView(ScopedView):
    """A filtered, sorted, paginated list with its table, totals and CSV export.

    Declares ``queryset``, ``filterset`` (the app's filter set, the one its API uses),
    ``table`` and ``template_name``; ``ordering`` is the order before the user sorts.
    A bad filter value answers 400 with the form's errors and no rows.
    """

    filterset: ClassVar[type[ScopedFilterSet]]
    table: ClassVar[type[Table]]
    ordering: ClassVar[tuple[str, ...]] = ()
    per_page: ClassVar[int] = 50
    add_permission: ClassVar[str | None] = None
    export_name: ClassVar[str] = ""
    filter_defaults: ClassVar[dict[str, str]] = {}
    # Actions over the rows chosen on the page: (name, label) posted to ``bulk_url`` with
    # the name (a ``BulkActionView`` each), offered to users who may ``bulk_action`` rows.
    bulk_actions: ClassVar[tuple[tuple[str, Any], ...]] = ()
    bulk_url: ClassVar[str] = ""
    bulk_action: ClassVar[str] = "change"
    # A CSV export reads every filtered row: the replica's work (safeward.core.replica).
    replica_exports: ClassVar[bool] = True

    def offers_bulk(self, request: HttpRequest) -> bool:
        return bool(self.bulk_actions) and has_perm_anywhere(
            request.user, perm_name(self.model, self.bulk_action)
        )

    @property
    def filterset_class(self) -> type[ScopedFilterSet]:
        """Read by the tests that walk the URLconf for filtered lists."""
        return self.filterset

    def get_add_permission(self) -> str:
        return self.add_permission or perm_name(self.model, "add")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Save the user's choice of columns, then show the list again with the same filters."""
        save_columns(request, self.table, request.POST.getlist("columns"))
        query = request.GET.urlencode()
        return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        qs = self.get_queryset(request)
        data = request.GET.copy()
        for name, value in self.filter_defaults.items():
            data.setdefault(name, value)  # the page opens on these (today's units, say)
        filters = self.filterset(data, queryset=qs, request=request)
        valid = filters.is_valid()
        rows = filters.qs if valid else qs.none()
        if self.ordering:
            rows = rows.order_by(*self.ordering)
        exporting = valid and request.GET.get("export") == "csv"
        bulk = not exporting and self.offers_bulk(request)
        extra: dict[str, Any] = {}
        if bulk:
            extra = {
                "extra_columns": [(SELECT_COLUMN, select_column())],
                "sequence": (SELECT_COLUMN, "..."),
            }
        table = self.table(rows, request=request, **extra)
        table.choose_columns(saved_columns(request, self.table))
        table.order_by = request.GET.getlist("sort") or None  # unknown columns are dropped
        if exporting:
            return self.export(request, table)
        self.paginate(request, table)
        table.compute_totals(rows)
        context = self.get_context(
            request,
            table=table,
            page=table.page,
            filters=filters,
            filter_error=not valid,
            filter_errors=error_lines(filters) if not valid else [],
            g=data,
            filter_units=self.filter_units(request, filters),
            querystring_base=querystring_base(request),
            export_query=querystring_base(request) + "export=csv",
            can_add=has_perm_anywhere(request.user, self.get_add_permission()),
            bulk_actions=[
                (reverse(self.bulk_url, args=[name]), label) for name, label in self.bulk_actions
            ]
            if bulk
            else [],
        )
        name = self.template_name
        if is_htmx(request) and request.headers.get("HX-Target") == "list":
            name = f"{name}#list" if self.has_list_partial() else name
        return render(request, name, context, status=200 if valid else 400)

    def filter_units(self, request: HttpRequest, filters: ScopedFilterSet) -> Any:
        """The units a page offers in its unit filter: current provinces, districts and wards."""
        unit = filters.filters.get("unit")
        if unit is None:
            return []
        units = unit.get_queryset(request)
        return units.filter(level__in=FILTER_UNIT_LEVELS).current().order_by("path")

    def has_list_partial(self) -> bool:
        return has_partial(self.template_name, "list")

    def paginate(self, request: HttpRequest, table: Table) -> None:
        per_page = bounded_int(request.GET.get("per_page"), self.per_page, highest=PER_PAGE_MAX)
        page = bounded_int(request.GET.get("page"), 1)
        table.paginate(page=1, per_page=per_page)
        table.page = table.paginator.page(min(page, table.paginator.num_pages))

    def export(self, request: HttpRequest, table: Table) -> StreamingHttpResponse:
        """Every filtered row of the visible columns as CSV; the export is audited."""
        name = self.export_name or self.model._meta.model_name or "rows"
        meta = self.model._meta
        # Named by the list, not a row: readers of the trail look rows up by their id.
        audit_record(
            request.user,
            "list.export",
            object_type="list",
            object_id=meta.label_lower,
            reason=request.GET.urlencode()[:500],
            sensitive_read=True,
        )
        writer = csv_writer(Echo())

        def lines() -> Iterator[str]:
            yield "\ufeff"
            for row in table.export_rows():
                yield writer.writerow(row)

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response


class ObjectView(ScopedView):
    """One row the user may see (``pk`` from the URL); otherwise 404, whether missing or not.

    An htmx request gets ``partial_template_name`` when one is declared (the fragment the
    page swaps in), the whole page otherwise.
    """

    context_object_name: ClassVar[str] = "object"
    partial_template_name: ClassVar[str] = ""

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return self.get_visible(request, pk=kwargs.get("pk"))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(request, **kwargs)
        context = self.get_context(
            request,
            **{"object": obj, self.context_object_name: obj},
            can_change=self.can(request, "change", obj),
            can_delete=self.can(request, "delete", obj),
        )
        template = self.template_name
        if self.partial_template_name and request.headers.get("HX-Request"):
            template = self.partial_template_name
        context = self.get_object_context(request, obj, context)
        return render(request, template, context, status=self.get_status(obj))

    def get_status(self, obj: Any) -> int:
        """The page's status: 200, unless the row's state says otherwise (a failed job)."""
        return 200

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        """Override to add what the page shows of ``obj`` (related rows, figures)."""
        return context


def _accepts(callable_: Callable[..., Any], name: str) -> bool:
    try:
        parameters = inspect.signature(callable_).parameters
    except (TypeError, ValueError):
        return False
    # Named only: a form's ``**kwargs`` goes on to ``BaseForm``, which refuses ``user``.
    return name in parameters


class ServiceFormView(ScopedView):
    """A form whose valid data goes to ``service``; errors come back onto the form.

    With a ``pk`` in the URL the view works on that row (which the user must be able to
    ``action``) and calls ``service(user, obj, **data)``; without, it creates and calls
    ``service(user, **data)``. ``success_url`` is a URL name (given the new or changed
    row's pk when it takes one) or, by default, the row's ``get_absolute_url``. The form
    gets ``user=`` and ``<object_kwarg>=obj`` when it accepts them. ``error_fields`` maps a
    service's field names to the form's, where they differ (``{"from": "date_from"}``).
    """

    action: ClassVar[str] = "add"
    form_class: ClassVar[type[forms.Form]]
    service: ClassVar[Callable[..., Any]]
    template_name: ClassVar[str] = FORM_TEMPLATE
    success_url: ClassVar[str] = ""
    back_url: ClassVar[str] = ""
    success_message: ClassVar[str | Promise] = ""
    object_kwarg: ClassVar[str] = ""
    initial_fields: ClassVar[tuple[str, ...] | None] = None
    error_fields: ClassVar[dict[str, str]] = {}

    def get_permission(self) -> str:
        return self.permission or perm_name(self.model, self.action)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        if "pk" not in kwargs:
            return None
        return self.get_visible(request, pk=kwargs["pk"])

    def get_initial(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        if obj is None:
            return {}
        names = self.initial_fields
        if names is None:
            names = tuple(self.form_class.base_fields)
        return {name: getattr(obj, name) for name in names if hasattr(obj, name)}

    def get_form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if _accepts(self.form_class.__init__, "user"):
            kwargs["user"] = request.user
        if obj is not None and self.object_kwarg:
            kwargs[self.object_kwarg] = obj
        return kwargs

    def get_form(self, request: HttpRequest, obj: Any) -> forms.Form:
        data = request.POST if request.method == "POST" else None
        files = request.FILES if request.method == "POST" else None
        return self.form_class(
            data,
            files,
            initial=self.get_initial(request, obj),
            **self.get_form_kwargs(request, obj),
        )

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        service = type(self).service
        if obj is None:
            return service(request.user, **data)
        return service(request.user, obj, **data)

    def form_data(self, form: forms.Form) -> dict[str, Any]:
        return dict(form.cleaned_data)

    def get_title(self, obj: Any) -> str:
        return str(obj) if obj is not None else str(self.model._meta.verbose_name)

    def _reverse(self, name: str, obj: Any) -> str:
        if obj is not None and getattr(obj, "pk", None) is not None:
            try:
                return reverse(name, args=[obj.pk])
            except NoReverseMatch:
                pass
        return reverse(name)

    def get_back_url(self, request: HttpRequest, obj: Any) -> str:
        if self.back_url:
            return self._reverse(self.back_url, obj)
        if obj is not None and hasattr(obj, "get_absolute_url"):
            return str(obj.get_absolute_url())
        return "/home/"

    def get_success_url(self, request: HttpRequest, result: Any, obj: Any) -> str:
        target = result if isinstance(result, Model) else obj
        if self.success_url:
            return self._reverse(self.success_url, target)
        if target is not None and hasattr(target, "get_absolute_url"):
            return str(target.get_absolute_url())
        return self.get_back_url(request, obj)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(request, **kwargs)
        return self.render_form(request, self.get_form(request, obj), obj)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(request, **kwargs)
        form = self.get_form(request, obj)
        if not form.is_valid():
            return self.render_form(request, form, obj, status=400)
        try:
            result = self.call_service(request, obj, self.form_data(form))
        except DomainError as exc:
            self.add_domain_error(form, exc)
            return self.render_form(request, form, obj, status=409 if exc.code == "in_use" else 400)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this here."))
            return self.render_form(request, form, obj, status=403)
        return self.form_done(request, result, obj)

    def add_domain_error(self, form: forms.Form, exc: DomainError) -> None:
        """Put the service's message on the field it names, else above the form."""
        field = self.error_fields.get(exc.field or "", exc.field)
        form.add_error(field if field in form.fields else None, exc.message)

    def get_success_message(self, request: HttpRequest, result: Any) -> str:
        """The message shown after the service ran; an empty one shows none."""
        return str(self.success_message or _("Saved."))

    def form_done(self, request: HttpRequest, result: Any, obj: Any) -> HttpResponse:
        message = self.get_success_message(request, result)
        if message:
            messages.success(request, message)
        url = self.get_success_url(request, result, obj)
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

    def render_form(
        self, request: HttpRequest, form: forms.Form, obj: Any, *, status: int = 200
    ) -> HttpResponse:
        context = self.get_context(
            request,
            form=form,
            object=obj,
            title=self.get_title(obj),
            back=self.get_back_url(request, obj),
        )
        name = self.template_name
        if is_htmx(request) and has_partial(name, "form"):
            name = f"{name}#form"
        return render(request, name, context, status=status)

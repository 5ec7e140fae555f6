"""The generic views of actions on one row: a form and a service, a panel's actions,
several actions under one URL, a delete (see the package's text)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from safeward.core.errors import DomainError
from safeward.core.views.generic import (
    DELETE_TEMPLATE,
    ScopedView,
    ServiceFormView,
    is_htmx,
    next_url,
)


class ObjectActionView(ServiceFormView):
    """A workflow action on one row the user may change: ``service(user, obj, **data)``.

    ``action`` names the permission action checked on the row (``change`` unless the
    workflow has its own); the model-level ``permission`` defaults to the same. The
    success URL is ``success_url`` reversed with the row's pk, else the back URL.
    """

    action: ClassVar[str] = "change"
    object_argument: ClassVar[str] = ""

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return self.get_visible(request, pk=kwargs.get("pk"))

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        """``service(user, obj, **data)``; with ``object_argument`` (a service that creates
        under the row, as ``patrol_log(user, *, group=…)``) the row goes by that keyword."""
        if self.object_argument:
            return type(self).service(request.user, **{self.object_argument: obj}, **data)
        return super().call_service(request, obj, data)

    def get_initial(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        if self.initial_fields is None:
            return {}
        return super().get_initial(request, obj)

    def get_success_url(self, request: HttpRequest, result: Any, obj: Any) -> str:
        if self.success_url:
            return self._reverse(self.success_url, obj)
        return self.get_back_url(request, obj)


class PanelActionView(ObjectActionView):
    """A workflow action posted from a panel of the row's page, by htmx or by a plain form.

    Done: htmx gets the refreshed panel (``panel_template``), a plain post goes back to the
    row's page. Refused (an invalid form, a ``DomainError``, a ``PermissionDenied``): the
    panel for htmx (``refused_htmx_status``), else the whole page (``page_template``, 400),
    the message beside the field it names when the panel shows this action's form (under
    ``form_context_name``), else above the panel as ``action_error``; ``refused_redirect``
    sends a refused plain form back to the page with the message instead.
    ``get_panel_context`` gives what both templates show of the row.
    """

    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]
    form_class: ClassVar[type[forms.Form]] = forms.Form  # an action with nothing to fill in
    panel_template: ClassVar[str] = ""
    page_template: ClassVar[str] = ""
    form_context_name: ClassVar[str] = ""
    invalid_message: ClassVar[str | Promise] = ""
    refused_htmx_status: ClassVar[int] = 400
    refused_redirect: ClassVar[bool] = False
    done_context: ClassVar[dict[str, Any]] = {}
    # A consequential action (resolve, close, merge) is carried out only once confirmed:
    # a valid first post answers a confirmation of what will be recorded, whose button
    # posts the same data again with ``confirmed=1``.
    confirm: ClassVar[bool] = False
    confirm_template: ClassVar[str] = "web/_confirm_action.html"
    confirm_page_template: ClassVar[str] = "web/confirm_action.html"

    def get_panel_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return self.get_context(request, object=obj)

    def get_form(self, request: HttpRequest, obj: Any) -> forms.Form:
        return self.form_class(request.POST, request.FILES, **self.get_form_kwargs(request, obj))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(request, **kwargs)
        form = self.get_form(request, obj)
        try:
            if not form.is_valid():
                raise DomainError(str(self.invalid_message) or _first_error(form))
            if self.confirm and request.POST.get("confirmed") != "1":
                return self.ask_confirmation(request, obj, form)
            self.call_service(request, obj, self.form_data(form))
        except DomainError as exc:
            return self.refused(request, obj, form, exc, status=400)
        except PermissionDenied as exc:
            error = DomainError(str(exc) or _("You may not do this here."))
            return self.refused(request, obj, form, error, status=403)
        return self.action_done(request, obj)

    def ask_confirmation(self, request: HttpRequest, obj: Any, form: forms.Form) -> HttpResponse:
        """What the action will record, and a button that posts it again, confirmed."""
        posted = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in ("csrfmiddlewaretoken", "confirmed")
            for value in values
        ]
        context = self.get_context(
            request,
            object=obj,
            title=self.get_confirm_title(obj),
            lines=self.get_confirm_lines(request, obj, form),
            posted=posted,
            action_url=request.get_full_path(),
            hx_target=request.headers.get("HX-Target", ""),
            back=self.get_back_url(request, obj),
        )
        template = self.confirm_template if is_htmx(request) else self.confirm_page_template
        return render(request, template, context)

    def get_confirm_title(self, obj: Any) -> str:
        return _("Confirm: {object}").format(object=obj)

    def get_confirm_lines(
        self, request: HttpRequest, obj: Any, form: forms.Form
    ) -> list[tuple[str, str]]:
        """(label, value) for each filled-in field, choices by their label."""
        lines = []
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            value = form.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)  # type: ignore[arg-type]
            lines.append((str(field.label or name), str(value)))
        return lines

    def action_done(self, request: HttpRequest, obj: Any) -> HttpResponse:
        if self.success_message:
            messages.success(request, str(self.success_message))
        if not is_htmx(request):
            return redirect(self.get_success_url(request, None, obj))
        obj.refresh_from_db()
        context = {**self.get_panel_context(request, obj), **self.done_context}
        return render(request, self.panel_template, context)

    def refused(
        self, request: HttpRequest, obj: Any, form: forms.Form, exc: DomainError, *, status: int
    ) -> HttpResponse:
        if self.refused_redirect and not is_htmx(request):
            messages.error(request, exc.message)
            return redirect(self.get_back_url(request, obj))
        obj.refresh_from_db()
        context = self.get_panel_context(request, obj)
        name = self.form_context_name
        if name and context.get(name) is not None and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            context["action_error"] = exc.message
        if name and context.get(name) is not None:
            context[name] = form
        if is_htmx(request):
            htmx_status = status if status != 400 else self.refused_htmx_status
            return render(request, self.panel_template, context, status=htmx_status)
        return render(request, self.page_template, context, status=status)


def _first_error(form: forms.Form) -> str:
    """The first message of an invalid form (a form with no errors is valid)."""
    return str(next(iter(form.errors.values()))[0])


class NamedActionView(View):
    """One URL for a row's several actions (``.../<name>/``): the request goes to the view
    declared under that name in ``actions``; another name answers 404.

    ``path("reports/<int:pk>/action/<str:name>/", NamedActionView.as_view(actions=...))``;
    with ``name_field`` the name comes from that posted field instead (a page whose
    several forms post to the page itself, each saying which it is).
    """

    actions: ClassVar[Mapping[str, type[View]]] = {}
    name_kwarg: ClassVar[str] = "name"
    name_field: ClassVar[str] = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if self.name_field:
            name = request.POST.get(self.name_field, "")
        else:
            name = kwargs.get(self.name_kwarg, "")
        view = self.actions.get(name)
        if view is None:
            raise Http404
        return view.as_view()(request, *args, **kwargs)


class BulkActionView(ScopedView):
    """One action over the rows chosen on a list (``pk`` posted once per row), all or none.

    The list's form posts the chosen rows here: the answer is a page naming each of them
    with the action's form. Its button posts them again with the form's data and
    ``apply=1``: ``service(user, row, **data)`` runs for every row in one transaction, so
    a row the service refuses (its ``DomainError`` is shown with the row's name) leaves
    every row as it was. A chosen row the user may not ``action`` is a 404, as for one
    row; more than ``max_rows`` rows, or none, goes back with a message. ``next`` (checked by
    ``next_url``) is where the list was, with its filters.
    """

    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]
    action: ClassVar[str] = "change"
    form_class: ClassVar[type[forms.Form]] = forms.Form
    service: ClassVar[Callable[..., Any]]
    max_rows: ClassVar[int] = 100
    template_name: ClassVar[str] = "web/bulk_action.html"
    title: ClassVar[str | Promise] = ""
    button: ClassVar[str | Promise] = ""
    list_url: ClassVar[str] = ""

    def done_message(self, count: int) -> str:
        return ngettext(
            "The action was applied to {n} row.", "The action was applied to {n} rows.", count
        ).format(n=count)

    def get_rows(self, request: HttpRequest) -> list[Any]:
        posted = request.POST.getlist("pk")
        try:
            ids = list(dict.fromkeys(int(v) for v in posted))
        except ValueError as exc:
            raise DomainError(_("A chosen row is not a row number."), field="pk") from exc
        if not ids:
            raise DomainError(_("Choose at least one row first."), field="pk")
        if len(ids) > self.max_rows:
            raise DomainError(
                _("Choose at most {n} rows at a time.").format(n=self.max_rows), field="pk"
            )
        rows = list(self.get_queryset(request).filter(pk__in=ids))
        if len(rows) != len(ids):
            raise Http404
        order = {pk: i for i, pk in enumerate(ids)}
        return sorted(rows, key=lambda row: order[row.pk])

    def get_form_kwargs(self, request: HttpRequest, rows: list[Any]) -> dict[str, Any]:
        return {}

    def call_service(
        self, request: HttpRequest, row: Any, data: dict[str, Any], rows: list[Any]
    ) -> Any:
        return type(self).service(request.user, row, **data)

    def get_back_url(self, request: HttpRequest) -> str:
        fallback = reverse(self.list_url) if self.list_url else "/home/"
        return next_url(request, fallback)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        back = self.get_back_url(request)
        try:
            rows = self.get_rows(request)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        applying = request.POST.get("apply") == "1"
        form_kwargs = self.get_form_kwargs(request, rows)
        form = self.form_class(request.POST if applying else None, **form_kwargs)
        if not applying:
            return self.render_page(request, rows, form, back)
        if not form.is_valid():
            return self.render_page(request, rows, form, back, status=400)
        data = dict(form.cleaned_data)
        current: Any = None
        try:
            with transaction.atomic():
                for current in rows:
                    self.call_service(request, current, data, rows)
        except DomainError as exc:
            error = _("{row}: {message}").format(row=current, message=exc.message)
            return self.render_page(request, rows, form, back, error=error, status=400)
        except PermissionDenied as exc:
            error = _("{row}: {message}").format(
                row=current, message=str(exc) or _("You may not do this here.")
            )
            return self.render_page(request, rows, form, back, error=error, status=403)
        messages.success(request, self.done_message(len(rows)))
        return redirect(back)

    def render_page(
        self,
        request: HttpRequest,
        rows: list[Any],
        form: forms.Form,
        back: str,
        *,
        error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        context = self.get_context(
            request,
            rows=rows,
            form=form,
            back=back,
            error=error,
            title=self.title,
            button=self.button,
            action_url=request.path,
        )
        return render(request, self.template_name, context, status=status)


class ObjectDeleteView(ScopedView):
    """A confirmation page, then ``service(user, obj)``; a row still referred to is a 409."""

    action: ClassVar[str] = "delete"
    service: ClassVar[Callable[..., Any]]
    template_name: ClassVar[str] = DELETE_TEMPLATE
    success_url: ClassVar[str] = ""

    def get_success_url(self, obj: Any) -> str:
        return reverse(self.success_url) if self.success_url else "/home/"

    def render_confirm(
        self, request: HttpRequest, obj: Any, *, error: str = "", status: int = 200
    ) -> HttpResponse:
        back = (
            obj.get_absolute_url()
            if hasattr(obj, "get_absolute_url")
            else self.get_success_url(obj)
        )
        context = self.get_context(request, object=obj, error=error, back=back, title=str(obj))
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_confirm(request, self.get_visible(request, pk=kwargs.get("pk")))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_visible(request, pk=kwargs.get("pk"))
        label = str(obj)
        try:
            type(self).service(request.user, obj)
        except DomainError as exc:
            status = 409 if exc.code == "in_use" else 400
            return self.render_confirm(request, obj, error=exc.message, status=status)
        except (ProtectedError, RestrictedError):
            error = _("Other records still refer to {object}; remove them first.").format(
                object=label
            )
            return self.render_confirm(request, obj, error=error, status=409)
        except PermissionDenied as exc:
            error = str(exc) or _("You may not do this here.")
            return self.render_confirm(request, obj, error=error, status=403)
        messages.success(request, _("{object} was deleted.").format(object=label))
        return redirect(self.get_success_url(obj))

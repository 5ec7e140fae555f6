"""Staff pages for cameras: list, detail, form, map, coverage, campaigns, import."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeward.cameras import services
from safeward.cameras.choices import CameraStatus, SharingMode
from safeward.cameras.contacts import CUSTODIAN, ORGANISER
from safeward.cameras.coverage import coverage_day, unit_coverage, units_coverage
from safeward.cameras.filters import CameraFilterSet, CampaignFilterSet
from safeward.cameras.forms import (
    CameraEditForm,
    CameraForm,
    CampaignEditForm,
    CampaignForm,
    ContributionForm,
    ExpenseForm,
    VoidForm,
)
from safeward.cameras.models import Camera, Campaign, Contribution, Expense
from safeward.cameras.querysets import CameraQuerySet
from safeward.cameras.tables import CameraTable, CampaignTable
from safeward.core.errors import DomainError
from safeward.core.importviews import ImportView
from safeward.core.personal import shown_to
from safeward.core.scoping import has_perm_at
from safeward.core.views import (
    NamedActionView,
    ObjectActionView,
    ObjectListView,
    ObjectView,
    PanelActionView,
    ScopedPageView,
    ScopedView,
    ServiceFormView,
)
from safeward.geo.models import AdminUnit


class CameraListView(ObjectListView):
    queryset = Camera.objects.select_related("unit")
    filterset = CameraFilterSet
    table = CameraTable
    template_name = "cameras/list.html"
    extra: ClassVar[dict[str, Any]] = {
        "statuses": CameraStatus.choices,
        "modes": SharingMode.choices,
    }


class CameraView(ObjectView):
    queryset = Camera.objects.select_related("unit")
    template_name = "cameras/detail.html"
    context_object_name = "camera"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            **context,
            "consents": obj.consents.all(),
            "reasons": _health(obj),
            "contact_shown": shown_to(request.user, CUSTODIAN, [obj]),
            "can_invite": context["can_change"],
        }


def _health(camera: Camera) -> list[str]:
    found = []
    if camera.status != CameraStatus.WORKING:
        found.append(camera.get_status_display())
    if not camera.consents.filter(withdrawn_at__isnull=True).exists():
        found.append(_("Consent withdrawn"))
    return found


class InUnitFormView(ServiceFormView):
    """Creating a row in a unit given by its id: a unit the user cannot see is missing."""

    def form_data(self, form: forms.Form) -> dict[str, Any]:
        data = dict(form.cleaned_data)
        data["unit"] = AdminUnit.objects.get_visible(self.request.user, pk=data["unit"])
        return data


class CameraAddView(InUnitFormView):
    queryset = Camera.objects.all()
    form_class = CameraForm
    service = services.camera_register
    back_url = "cameras:list"
    success_url = "cameras:detail"

    def get_title(self, obj: Any) -> str:
        return _("Register a camera")


class CameraEditView(ServiceFormView):
    queryset = Camera.objects.select_related("unit")
    action = "change"
    form_class = CameraEditForm
    service = services.camera_update
    initial_fields = tuple(services.CAMERA_FIELDS)
    success_url = "cameras:detail"

    def get_title(self, obj: Any) -> str:
        return _("Edit camera #{number}").format(number=obj.pk)


class CameraMapView(ScopedPageView):
    queryset = Camera.objects.all()
    template_name = "cameras/map.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        return {"params": request.GET.urlencode(), "modes": SharingMode.choices, **context}


class CameraMapDataView(ScopedView):
    """The filtered cameras' points and view cones for the staff map."""

    queryset = Camera.objects.all()
    filterset = CameraFilterSet

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        filters = CameraFilterSet(request.GET, queryset=self.get_queryset(request), request=request)
        if not filters.is_valid():
            return JsonResponse(filters.error_detail().as_dict(), status=400)
        rows = filters.qs.values_list(
            "id", "latitude", "longitude", "bearing", "fov", "range_m", "status", "sharing_mode"
        )[:5000]
        keys = ["id", "lat", "lon", "bearing", "fov", "range", "status", "sharing"]
        return JsonResponse({"cameras": [dict(zip(keys, row, strict=True)) for row in rows]})


class CoverageView(ScopedPageView):
    """Coverage of a unit and its children, and the cameras needing attention."""

    queryset = Camera.objects.all()
    template_name = "cameras/coverage.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        unit = None
        if request.GET.get("unit", "").isdigit():
            unit = AdminUnit.objects.get_visible(request.user, pk=request.GET["unit"])
        scoped = cast(CameraQuerySet, self.get_queryset(request))
        attention = list(scoped.needing_attention(90).select_related("unit")[:200])
        context.update(
            unit=unit,
            coverage=None,
            children=[],
            attention=attention,
            contact_shown=shown_to(request.user, CUSTODIAN, attention),
        )
        if unit is not None:
            day = coverage_day(unit)
            children = unit.children.valid_on(day).natural()
            context["coverage"] = unit_coverage(unit, scoped, day=day)
            context["children"] = units_coverage(list(children), scoped, day=day)
        return context


class CampaignListView(ObjectListView):
    queryset = Campaign.objects.select_related("unit").annotate(
        raised=Sum("contributions__amount_vnd", filter=Q(contributions__voided_at__isnull=True)),
        gifts=Count("contributions", filter=Q(contributions__voided_at__isnull=True)),
    )
    filterset = CampaignFilterSet
    table = CampaignTable
    ordering = ("-starts_on", "id")
    template_name = "cameras/campaigns.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        form = CampaignForm() if context.get("can_add") else None
        return {**super().get_context(request, **context), "form": form}


class CampaignAddView(InUnitFormView):
    queryset = Campaign.objects.all()
    form_class = CampaignForm
    service = services.campaign_create
    back_url = "cameras:campaigns"
    success_url = "cameras:campaign"

    def get_title(self, obj: Any) -> str:
        return _("New campaign")


def _campaign_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    user, unit = request.user, campaign.unit
    contributions = campaign.contributions.select_related("voided_by").order_by("-date", "-id")
    expenses = campaign.expenses.select_related("voided_by").order_by("-date", "-id")
    raised = contributions.counted().aggregate(s=Sum("amount_vnd"))["s"] or 0
    spent = expenses.counted().aggregate(s=Sum("amount_vnd"))["s"] or 0
    may_edit = has_perm_at(user, "cameras.change_campaign", unit)
    return {
        "campaign": campaign,
        "organiser_shown": shown_to(user, ORGANISER, [campaign]),
        "contributions": contributions[:200],
        "expenses": expenses[:200],
        "raised": raised,
        "spent": spent,
        "balance": raised - spent,
        "may_record": has_perm_at(user, "cameras.add_contribution", unit),
        "may_void_contribution": has_perm_at(user, "cameras.change_contribution", unit),
        "may_void_expense": has_perm_at(user, "cameras.change_expense", unit),
        "gift_form": ContributionForm(),
        "spend_form": ExpenseForm(),
        "edit_form": CampaignEditForm.for_campaign(campaign) if may_edit else None,
    }


class CampaignActionView(PanelActionView):
    """One of the campaign page's forms, posted with its name in ``form``. The campaign
    need only be visible: each service checks the right to record, void or edit."""

    queryset = Campaign.objects.select_related("unit")
    action = "view"
    panel_template = "cameras/_campaign_panel.html"
    page_template = "cameras/campaign.html"
    back_url = "cameras:campaign"

    def get_panel_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return _campaign_context(request, obj)


class ContributionRecordView(CampaignActionView):
    form_class = ContributionForm
    service = services.contribution_record
    object_argument = "campaign"
    form_context_name = "gift_form"
    invalid_message = gettext_lazy("Correct the entry below.")


class ExpenseRecordView(CampaignActionView):
    form_class = ExpenseForm
    service = services.expense_record
    object_argument = "campaign"
    form_context_name = "spend_form"
    invalid_message = gettext_lazy("Correct the entry below.")


class CampaignEditView(CampaignActionView):
    form_class = CampaignEditForm
    service = services.campaign_update
    form_context_name = "edit_form"
    invalid_message = gettext_lazy("Correct the campaign below.")


class EntryVoidView(CampaignActionView):
    """Void a contribution or an expense of this campaign (``entry``), saying why."""

    form_class = VoidForm
    entry_model: ClassVar[type[Contribution] | type[Expense]]
    invalid_message = gettext_lazy("Say why the entry is voided.")

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        entry = self.entry_model.objects.get_visible(
            request.user, "change", pk=data["entry"], campaign=obj
        )
        void = (
            services.contribution_void
            if self.entry_model is Contribution
            else services.expense_void
        )
        return void(request.user, entry, reason=data["reason"])


class ContributionVoidView(EntryVoidView):
    entry_model = Contribution


class ExpenseVoidView(EntryVoidView):
    entry_model = Expense


class CampaignView(ObjectView):
    """The campaign, its ledger and its forms; each form posts here with its name in
    ``form`` and is handled by that form's action view (another name is a 404).

    htmx posts get the refreshed panel back, plain posts a redirect (or the page and a 400).
    """

    queryset = Campaign.objects.select_related("unit")
    template_name = "cameras/campaign.html"
    post = staticmethod(
        NamedActionView.as_view(
            name_field="form",
            actions={
                "contribution": ContributionRecordView,
                "expense": ExpenseRecordView,
                "campaign": CampaignEditView,
                "void_contribution": ContributionVoidView,
                "void_expense": ExpenseVoidView,
            },
        )
    )

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        return {**context, **_campaign_context(request, obj)}


class CameraImportView(ImportView):
    codes = ["cameras", "contributions"]
    title = gettext_lazy("Import cameras or contributions")
    job_url = "cameras:import-job"


# --- custodian accounts -----------------------------------------------------------------------
class InviteForm(forms.Form):
    contact = forms.CharField(required=False, max_length=254)


class CameraInviteView(ObjectActionView):
    """Send the custodian their invitation link, and show it once to copy.

    Posted from the camera's page (a GET is a 405); the answer is the link, or why none
    was sent (400).
    """

    queryset = Camera.objects.select_related("unit")
    form_class = InviteForm
    service = services.custodian_invite
    object_argument = "camera"
    template_name = "cameras/invite_sent.html"
    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]

    def form_done(self, request: HttpRequest, result: Any, obj: Any) -> HttpResponse:
        invite, token = result
        link = request.build_absolute_uri(reverse("cameras:custodian_accept", args=[token]))
        context = self.get_context(request, camera=obj, invite=invite, link=link)
        return render(request, self.template_name, context)

    def render_form(
        self, request: HttpRequest, form: forms.Form, obj: Any, *, status: int = 200
    ) -> HttpResponse:
        errors = [str(m) for messages in form.errors.values() for m in messages]
        context = self.get_context(request, camera=obj, error=" ".join(errors))
        return render(request, self.template_name, context, status=status)


class CustodianAccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


def custodian_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open the custodian's account (or link the signed-in one) from their invitation link."""
    try:
        invite = services.custodian_invite_open(token)
    except DomainError as exc:
        return render(request, "cameras/invite_accept.html", {"error": exc.message}, status=404)
    signed_in = request.user.is_authenticated
    form = CustodianAccountForm(request.POST or None) if not signed_in else None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            user = services.custodian_invite_accept(
                token,
                user=request.user if signed_in else None,
                username=data.get("username", ""),
                password=data.get("password", ""),
            )
        except DomainError as exc:
            if form is None:
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("evidence:custodian")
    context = {"invite": invite, "form": form}
    return render(
        request, "cameras/invite_accept.html", context, status=400 if form and form.errors else 200
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500)


class CustodianWithdrawView(ObjectActionView):
    """The custodian withdraws consent for one of their own cameras (only their own: any
    other camera is a 404, whatever their roles)."""

    queryset = Camera.objects.all()
    owner_field = "custodian_user"
    form_class = WithdrawForm
    service = services.consent_withdraw
    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]
    success_message = gettext_lazy("Consent withdrawn: no new request will reach this camera.")

    def get_success_url(self, request: HttpRequest, result: Any, obj: Any) -> str:
        return reverse("evidence:custodian")

    def render_form(
        self, request: HttpRequest, form: forms.Form, obj: Any, *, status: int = 200
    ) -> HttpResponse:
        errors = [str(m) for messages in form.errors.values() for m in messages]
        messages.error(request, " ".join(errors))
        return redirect("evidence:custodian")

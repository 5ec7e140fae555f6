"""Sign-in in two steps (password, then TOTP for staff), enrolment with a local QR code, tokens."""

from __future__ import annotations

from typing import Any, ClassVar

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from safeward.accounts import lockout, services
from safeward.accounts.forms import LoginForm, OtpForm, TokenForm
from safeward.accounts.middleware import OTP_SESSION_KEY
from safeward.accounts.models import ApiToken, User
from safeward.core.errors import DomainError
from safeward.core.views import ObjectActionView, ServiceFormView, next_url


def _next_url(request: HttpRequest) -> str:
    return next_url(request, "/home/")


def _locked_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return ngettext(
        "Too many failed attempts. Try again in {minutes} minute.",
        "Too many failed attempts. Try again in {minutes} minutes.",
        minutes,
    ).format(minutes=minutes)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.GET.get("expired"):
        messages.info(request, _("Your session expired. Please sign in again."))
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        remaining = lockout.locked_seconds(request, username)
        if remaining:
            form.add_error(None, _locked_message(remaining))
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                services.login_failed(username)
                status = _refuse(request, form, username, _("Wrong username or password."))
            else:
                login(request, user)
                request.session[OTP_SESSION_KEY] = False
                if not user.requires_2fa:
                    request.session[OTP_SESSION_KEY] = True
                    _signed_in(request, user)
                    return redirect(_next_url(request))
                return redirect(f"/accounts/otp/?next={_next_url(request)}")
    elif request.method == "POST":
        status = 400
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/login.html", context, status=status)


def _refuse(request: HttpRequest, form: Any, username: str, message: str, field: Any = None) -> int:
    """Show why a sign-in step failed: the wait when this failure locked it, else ``message``."""
    remaining = lockout.locked_seconds(request, username)
    if remaining:
        form.add_error(None, _locked_message(remaining))
        return 429
    form.add_error(field, message)
    return 400


def _signed_in(request: HttpRequest, user: User) -> None:
    lockout.signin_completed(request, user.username)
    for note in services.login_succeeded(user):
        messages.warning(request, note)


@login_required
def otp_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.session.get(OTP_SESSION_KEY):
        return redirect(_next_url(request))
    if not user.has_totp:
        return redirect("accounts:enrol")
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        remaining = lockout.locked_seconds(request, user.username)
        if remaining:
            form.add_error(None, _locked_message(remaining))
            status = 429
        elif services.totp_check(user, form.cleaned_data["code"]):
            request.session.cycle_key()
            request.session[OTP_SESSION_KEY] = True
            _signed_in(request, user)
            return redirect(_next_url(request))
        else:
            services.login_failed(user.username, stage="otp")
            lockout.code_failed(request, user.username)
            message = _("That code is not right. Check the time on your phone and try again.")
            status = _refuse(request, form, user.username, message, field="code")
    return render(
        request, "accounts/otp.html", {"form": form, "next": _next_url(request)}, status=status
    )


@login_required
def enrol_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.has_totp and not request.session.get(OTP_SESSION_KEY):
        return redirect("accounts:otp")
    if not user.has_totp and (request.method != "POST" or not user.totp_secret):
        services.totp_begin(user)
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_confirm(user, form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
            status = 400
        else:
            request.session.cycle_key()
            request.session[OTP_SESSION_KEY] = True
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(_next_url(request))
    uri = services.totp_uri(user)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#0b2239", light="#ffffff")
    return render(
        request,
        "accounts/enrol.html",
        {"form": form, "qr_svg": qr_svg, "secret": user.totp_secret, "uri": uri},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:landing")


class TokensView(ServiceFormView):
    """The user's API tokens and the form that makes another; a new key is shown once."""

    queryset = ApiToken.objects.all()
    owner_field = "user"
    form_class = TokenForm
    service = services.token_create
    template_name = "accounts/tokens.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        context.setdefault("raw", None)
        return {**super().get_context(request, **context), "tokens": self.get_queryset(request)}

    def form_done(self, request: HttpRequest, result: Any, obj: Any) -> HttpResponse:
        _token, raw = result  # the raw key is on this page only: never stored, never redirected
        context = self.get_context(request, form=TokenForm(), raw=raw)
        return render(request, self.template_name, context)


class TokenRevokeView(ObjectActionView):
    queryset = ApiToken.objects.all()
    owner_field = "user"
    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]
    form_class = forms.Form
    service = services.token_revoke
    success_message = gettext_lazy("Token revoked.")
    success_url = "accounts:tokens"

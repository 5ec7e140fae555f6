"""The in-app help page, public so that residents read it too (see :mod:`safeward.web.help`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safeward.web.help import sections_for


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/help.html", {"sections": sections_for(request.user)})

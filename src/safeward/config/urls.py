"""Root URLs. Each app contributes ``urls.py`` (pages) and ``api/urls.py`` (under /api/v1/)."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from safeward.web.views import healthz

api_patterns = [
    path("", include("safeward.core.rest.urls")),
    path("", include("safeward.geo.api.urls")),
    path("", include("safeward.accounts.api.urls")),
    path("", include("safeward.people.api.urls")),
]
page_patterns = []
for app in settings.SAFEWARD_DOMAIN_APPS:
    # An app may have pages and no API, or neither yet: look for the package before its module.
    if find_spec(f"{app}.api") and find_spec(f"{app}.api.urls"):
        api_patterns.append(path("", include(f"{app}.api.urls")))
    if find_spec(f"{app}.urls"):
        module = import_module(f"{app}.urls")
        prefix = getattr(module, "url_prefix", app.split(".")[1] + "/")
        page_patterns.append(path(prefix, include(f"{app}.urls")))

handler404 = "safeward.core.rest.views.not_found"
handler500 = "safeward.core.unavailable.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("web/favicon.svg"), permanent=True),
        name="favicon",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("safeward.accounts.urls")),
    path("api/v1/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    *page_patterns,
    path("people/", include("safeward.people.urls")),
    path("", include("safeward.web.urls")),
]

"""Resident and staff pages under /reports/, and Open311 GeoReport v2 under /open311/v2/."""

from django.urls import path, re_path

from safeward.core.views import NamedActionView
from safeward.reports import open311, public_views, views

app_name = "reports"
url_prefix = ""

FMT = r"\.(?P<fmt>json|xml)$"

open311_patterns = [
    path("open311/v2/", open311.root, name="open311_root"),
    re_path(r"^open311/v2/discovery" + FMT, open311.discovery, name="open311_discovery"),
    re_path(r"^open311/v2/services" + FMT, open311.services, name="open311_services"),
    re_path(
        r"^open311/v2/services/(?P<code>[-\w]+)" + FMT,
        open311.service_definition,
        name="open311_service",
    ),
    re_path(r"^open311/v2/requests" + FMT, open311.requests_view, name="open311_requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[-\w]+)" + FMT,
        open311.request_detail,
        name="open311_request",
    ),
    re_path(
        r"^open311/v2/tokens/(?P<token>[-\w]+)" + FMT, open311.token_detail, name="open311_token"
    ),
    re_path(
        r"^open311/v2/servicerequestupdates" + FMT, open311.request_updates, name="open311_updates"
    ),
]

urlpatterns = [
    path("reports/submit/", public_views.submit, name="submit"),
    path("reports/submit/questions/", public_views.attribute_fields, name="attribute_fields"),
    path("reports/submitted/", public_views.submitted, name="submitted"),
    path("reports/track/", public_views.track, name="track"),
    path("reports/track/<str:code>/", public_views.track_detail, name="track_detail"),
    path("reports/track/<str:code>/reply/", public_views.track_reply, name="track_reply"),
    path("reports/track/<str:code>/place/", public_views.track_place, name="track_place"),
    path("reports/statistics/", public_views.stats, name="stats"),
    path("reports/", views.ReportListView.as_view(), name="list"),
    path("reports/map/", views.ReportMapView.as_view(), name="map"),
    path("reports/map/data/", views.report_map_data, name="map_data"),
    path("reports/new/", views.ReportNewView.as_view(), name="new"),
    path("reports/<int:pk>/", views.ReportView.as_view(), name="detail"),
    path("reports/categories/", views.CatalogueView.as_view(), name="catalogue"),
    path(
        "reports/categories/<int:pk>/wording/",
        views.CategoryTextsView.as_view(),
        name="category_texts",
    ),
    path("reports/attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path(
        "reports/attachments/<int:pk>/thumbnail/",
        views.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path("reports/<int:pk>/reporter/", views.ReporterIdentityView.as_view(), name="reporter"),
    path(
        "reports/bulk/<str:name>/",
        NamedActionView.as_view(actions=views.REPORT_BULK_ACTIONS),
        name="bulk",
    ),
    path(
        "reports/<int:pk>/action/<str:name>/",
        NamedActionView.as_view(actions=views.REPORT_ACTIONS),
        name="action",
    ),
    *open311_patterns,
]

from django.urls import path

from safeward.core.views import NamedActionView
from safeward.evidence import views

app_name = "evidence"
urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="requests"),
    path("requests/new/<int:report_pk>/", views.RequestAddView.as_view(), name="request_add"),
    path("requests/<int:pk>/", views.RequestView.as_view(), name="request"),
    path(
        "requests/<int:pk>/do/<str:name>/",
        NamedActionView.as_view(actions=views.REQUEST_ACTIONS),
        name="request_action",
    ),
    path(
        "requests/<int:pk>/<str:decision>/",
        NamedActionView.as_view(actions=views.REQUEST_DECISIONS, name_kwarg="decision"),
        name="request_decide",
    ),
    path("targets/<int:pk>/answer/", views.TargetAnswerView.as_view(), name="target_answer"),
    path("targets/<int:pk>/resend/", views.TargetResendView.as_view(), name="target_resend"),
    path("targets/<int:pk>/link/", views.TargetLinkView.as_view(), name="target_link"),
    path("upload/<str:token>/", views.upload, name="upload"),
    path("items/<int:pk>/", views.ItemView.as_view(), name="item"),
    path("items/<int:pk>/retention/", views.ItemRetentionView.as_view(), name="item_retention"),
    path("items/<int:pk>/file/", views.item_file, name="item_file"),
    path("items/<int:pk>/download/", views.item_download, name="item_download"),
    path("items/<int:pk>/minutes.pdf", views.item_minutes, name="item_minutes"),
    path("statistics/", views.public_stats, name="stats"),
    path("my-cameras/", views.CustodianView.as_view(), name="custodian"),
]

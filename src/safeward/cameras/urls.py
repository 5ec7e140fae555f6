from django.urls import path

from safeward.cameras import views
from safeward.core.importviews import ImportJobView

app_name = "cameras"
urlpatterns = [
    path("", views.CameraListView.as_view(), name="list"),
    path("new/", views.CameraAddView.as_view(), name="add"),
    path("<int:pk>/", views.CameraView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CameraEditView.as_view(), name="edit"),
    path("<int:pk>/invite/", views.CameraInviteView.as_view(), name="invite"),
    path(
        "<int:pk>/withdraw-consent/",
        views.CustodianWithdrawView.as_view(),
        name="custodian_withdraw",
    ),
    path("custodian/<str:token>/", views.custodian_accept, name="custodian_accept"),
    path("map/", views.CameraMapView.as_view(), name="map"),
    path("map.json", views.CameraMapDataView.as_view(), name="map_data"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/new/", views.CampaignAddView.as_view(), name="campaign_add"),
    path("campaigns/<int:pk>/", views.CampaignView.as_view(), name="campaign"),
    path("import/", views.CameraImportView.as_view(), name="import"),
    path("import/<int:pk>/", ImportJobView.as_view(), name="import-job"),
]

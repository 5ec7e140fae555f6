from django.urls import path

from safeward.cameras import views

app_name = "cameras"
urlpatterns = [
    path("", views.camera_list, name="list"),
    path("new/", views.camera_add, name="add"),
    path("<int:pk>/", views.camera_detail, name="detail"),
    path("<int:pk>/edit/", views.camera_edit, name="edit"),
    path("<int:pk>/invite/", views.camera_invite, name="invite"),
    path("<int:pk>/withdraw-consent/", views.custodian_withdraw, name="custodian_withdraw"),
    path("custodian/<str:token>/", views.custodian_accept, name="custodian_accept"),
    path("map/", views.camera_map, name="map"),
    path("map.json", views.camera_map_data, name="map_data"),
    path("coverage/", views.coverage, name="coverage"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("import/", views.import_page, name="import"),
    path("import/<int:pk>/", views.import_job, name="import-job"),
]

from django.urls import path

from safeward.web import helpviews, views

app_name = "web"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("help/", helpviews.help_page, name="help"),
    path("home/", views.HomeView.as_view(), name="home"),
    path("home/unit/", views.unit_pick, name="unit_pick"),
    path("units/", views.UnitListView.as_view(), name="units"),
    path("units/<int:pk>/", views.UnitView.as_view(), name="unit_detail"),
    path("units/<int:pk>/add/", views.NeighbourhoodAddView.as_view(), name="unit_add"),
    path("audit/", views.AuditListView.as_view(), name="audit"),
]

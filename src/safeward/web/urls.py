from django.urls import path

from safeward.web import views

app_name = "web"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("home/unit/", views.unit_pick, name="unit_pick"),
    path("units/", views.units, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/add/", views.unit_add, name="unit_add"),
    path("audit/", views.audit, name="audit"),
]

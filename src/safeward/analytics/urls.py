from django.urls import path

from safeward.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("units/<int:pk>/", views.DashboardView.as_view(), name="unit"),
    path("units/<int:pk>/<str:chart>.csv", views.chart_csv, name="chart_csv"),
    path("reports/", views.PeriodicReportsView.as_view(), name="reports"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
]

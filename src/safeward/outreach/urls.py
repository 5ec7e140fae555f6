from django.urls import path

from safeward.core.importviews import ImportJobView
from safeward.outreach import views

app_name = "outreach"
urlpatterns = [
    path("sessions/", views.SessionListView.as_view(), name="sessions"),
    path("sessions/new/", views.SessionAddView.as_view(), name="session_add"),
    path("sessions/<int:pk>/", views.SessionView.as_view(), name="session"),
    path("sessions/<int:pk>/edit/", views.SessionEditView.as_view(), name="session_edit"),
    path("sessions/<int:pk>/roster/", views.SessionRosterView.as_view(), name="session_roster"),
    path("sessions/<int:pk>/materials/new/", views.MaterialAddView.as_view(), name="material_add"),
    path("materials/<int:pk>/file/", views.material_file, name="material_file"),
    path("materials/<int:pk>/delete/", views.MaterialDeleteView.as_view(), name="material_delete"),
    path("posts/", views.SocialPostListView.as_view(), name="posts"),
    path("posts/new/", views.SocialPostAddView.as_view(), name="post_add"),
    path("courses/", views.CourseListView.as_view(), name="courses"),
    path("courses/new/", views.CourseAddView.as_view(), name="course_add"),
    path("courses/<int:pk>/", views.CourseView.as_view(), name="course"),
    path("courses/<int:pk>/edit/", views.CourseEditView.as_view(), name="course_edit"),
    path(
        "courses/<int:pk>/participants/new/",
        views.ParticipantAddView.as_view(),
        name="participant_add",
    ),
    path("participants/<int:pk>/", views.ParticipantAttendanceView.as_view(), name="participant"),
    path("participants/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("trained-leaders/", views.TrainedLeadersView.as_view(), name="trained"),
    path("calendar/staff/", views.StaffCalendarView.as_view(), name="staff_calendar"),
    path("calendar/", views.public_calendar, name="calendar"),
    path("import/", views.OutreachImportView.as_view(), name="import"),
    path("import/<int:pk>/", ImportJobView.as_view(), name="import-job"),
]

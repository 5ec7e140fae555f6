from django.urls import path

from safeward.outreach import imports, views

app_name = "outreach"
urlpatterns = [
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/new/", views.session_add, name="session_add"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/roster/", views.session_roster, name="session_roster"),
    path("sessions/<int:pk>/materials/new/", views.material_add, name="material_add"),
    path("materials/<int:pk>/file/", views.material_file, name="material_file"),
    path("materials/<int:pk>/delete/", views.material_delete, name="material_delete"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.post_add, name="post_add"),
    path("courses/", views.courses, name="courses"),
    path("courses/new/", views.course_add, name="course_add"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/participants/new/", views.participant_add, name="participant_add"),
    path("participants/<int:pk>/", views.participant_attendance, name="participant"),
    path("participants/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("trained-leaders/", views.trained_leaders, name="trained"),
    path("calendar/staff/", views.staff_calendar, name="staff_calendar"),
    path("calendar/", views.public_calendar, name="calendar"),
    path("import/", imports.import_page, name="import"),
    path("import/<int:pk>/", imports.import_job, name="import-job"),
]

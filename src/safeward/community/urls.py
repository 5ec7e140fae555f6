from django.urls import path

from safeward.community import imports, views

app_name = "community"
urlpatterns = [
    path("groups/", views.GroupListView.as_view(), name="groups"),
    path("groups/new/", views.GroupAddView.as_view(), name="group_add"),
    path("groups/<int:pk>/", views.GroupView.as_view(), name="group"),
    path("groups/<int:pk>/edit/", views.GroupEditView.as_view(), name="group_edit"),
    path("groups/<int:pk>/status/", views.group_status, name="group_status"),
    path("groups/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
    path("groups/<int:pk>/patrols/new/", views.patrol_add, name="patrol_add"),
    path("groups/<int:pk>/roster/", views.roster, name="roster"),
    path("groups/<int:pk>/roster/new/", views.roster_add, name="roster_add"),
    path("models/", views.models, name="models"),
    path("models/new/", views.model_add, name="model_add"),
    path("models/<int:pk>/", views.model_detail, name="model"),
    path("models/<int:pk>/evaluate/", views.model_evaluate, name="model_evaluate"),
    path("models/<int:pk>/replicate/", views.model_replicate, name="model_replicate"),
    path("drug-free/criteria/", views.criteria, name="criteria"),
    path("drug-free/criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("drug-free/", views.assessments, name="assessments"),
    path("drug-free/new/", views.assessment_add, name="assessment_add"),
    path("drug-free/<int:pk>/", views.assessment_detail, name="assessment"),
    path("drug-free/pledges/new/", views.pledge_add, name="pledge_add"),
    path("import/", imports.import_page, name="import"),
    path("import/<int:pk>/", imports.import_job, name="import-job"),
]

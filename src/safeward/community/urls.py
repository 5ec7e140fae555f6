from django.urls import path

from safeward.community import views
from safeward.core.importviews import ImportJobView

app_name = "community"
urlpatterns = [
    path("groups/", views.GroupListView.as_view(), name="groups"),
    path("groups/new/", views.GroupAddView.as_view(), name="group_add"),
    path("groups/<int:pk>/", views.GroupView.as_view(), name="group"),
    path("groups/<int:pk>/edit/", views.GroupEditView.as_view(), name="group_edit"),
    path("groups/<int:pk>/status/", views.GroupStatusView.as_view(), name="group_status"),
    path("groups/<int:pk>/members/new/", views.MemberAddView.as_view(), name="member_add"),
    path("members/<int:pk>/end/", views.MemberEndView.as_view(), name="member_end"),
    path("groups/<int:pk>/patrols/new/", views.PatrolAddView.as_view(), name="patrol_add"),
    path("groups/<int:pk>/roster/", views.RosterView.as_view(), name="roster"),
    path("groups/<int:pk>/roster/new/", views.RosterAddView.as_view(), name="roster_add"),
    path("models/", views.MovementModelListView.as_view(), name="models"),
    path("models/new/", views.MovementModelAddView.as_view(), name="model_add"),
    path("models/<int:pk>/", views.MovementModelView.as_view(), name="model"),
    path("models/<int:pk>/evaluate/", views.EvaluationAddView.as_view(), name="model_evaluate"),
    path(
        "models/<int:pk>/replicate/",
        views.MovementModelReplicateView.as_view(),
        name="model_replicate",
    ),
    path("drug-free/criteria/", views.CriteriaView.as_view(), name="criteria"),
    path(
        "drug-free/criteria/<int:pk>/edit/",
        views.CriterionEditView.as_view(),
        name="criterion_edit",
    ),
    path("drug-free/", views.FortressAssessmentListView.as_view(), name="assessments"),
    path("drug-free/new/", views.FortressAssessAddView.as_view(), name="assessment_add"),
    path("drug-free/<int:pk>/", views.FortressAssessmentView.as_view(), name="assessment"),
    path("drug-free/pledges/new/", views.PledgeAddView.as_view(), name="pledge_add"),
    path("import/", views.CommunityImportView.as_view(), name="import"),
    path("import/<int:pk>/", ImportJobView.as_view(), name="import-job"),
]

from django.urls import path

from safeward.people import views

app_name = "people"
urlpatterns = [
    path("households/", views.HouseholdListView.as_view(), name="households"),
    path("households/new/", views.HouseholdAddView.as_view(), name="household_add"),
    path("households/<int:pk>/", views.HouseholdView.as_view(), name="household"),
    path("households/<int:pk>/edit/", views.HouseholdEditView.as_view(), name="household_edit"),
    path(
        "households/<int:pk>/delete/", views.HouseholdDeleteView.as_view(), name="household_delete"
    ),
    path("households/<int:pk>/persons/new/", views.PersonAddView.as_view(), name="person_add"),
    path("persons/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("persons/<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
]

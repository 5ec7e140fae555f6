from django.urls import path

from safeward.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.public_list, name="public"),
    path("feed.atom", views.feed, name="feed"),
    path("cap/<str:identifier>.xml", views.cap_document, name="cap"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/answer/", views.answer_view, name="answer"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]

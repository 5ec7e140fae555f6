from django.urls import path

from safeward.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.public_list, name="public"),
    path("feed.atom", views.feed, name="feed"),
    path("statistics/", views.public_stats, name="stats"),
    path("cap/<str:identifier>.xml", views.cap_document, name="cap"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/answer/", views.answer_view, name="answer"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("staff/", views.BulletinListView.as_view(), name="list"),
    path("staff/new/", views.BulletinAddView.as_view(), name="add"),
    path("staff/<int:pk>/", views.BulletinView.as_view(), name="bulletin"),
    path("staff/<int:pk>/submit/", views.BulletinSubmitView.as_view(), name="submit"),
    path("staff/<int:pk>/approve/", views.BulletinApproveView.as_view(), name="approve"),
    path("staff/<int:pk>/send/", views.BulletinSendView.as_view(), name="send"),
    path("staff/<int:pk>/resend/", views.BulletinResendView.as_view(), name="resend"),
    path("staff/<int:pk>/delete/", views.BulletinDeleteView.as_view(), name="delete"),
    path("staff/<int:pk>/cap.xml", views.BulletinCapView.as_view(), name="staff_cap"),
    path("staff/<int:pk>/loudspeaker/", views.LoudspeakerScriptView.as_view(), name="script"),
]

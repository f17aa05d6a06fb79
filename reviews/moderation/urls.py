from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/log/", views.log, name="log"),
    path("moderation/items/<str:kind>/<int:pk>/", views.decide, name="decide"),
    path("moderation/members/<str:username>/", views.member, name="member"),
    path("moderation/members/<str:username>/restrict/", views.sanction, name="sanction"),
]

from django.urls import path

from . import views

app_name = "accounts"

# Django's own auth views (log-in, log-out, passwords) live under /accounts/ too, with
# their own names (see leonsite/urls.py).
urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/sent/", views.signup_sent, name="signup-sent"),
    path("accounts/confirm/<str:uidb64>/<str:token>/", views.confirm, name="confirm"),
    path("accounts/settings/", views.account_settings, name="settings"),
    path("accounts/export/", views.account_export, name="export"),
    path("accounts/delete/", views.account_delete, name="delete"),
    path("u/<str:username>/", views.profile_detail, name="profile"),
]

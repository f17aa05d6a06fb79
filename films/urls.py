from django.urls import path

from . import views

app_name = "films"

urlpatterns = [
    path("films/", views.film_list, name="film-list"),
    path("films/<slug:slug>/", views.film_detail, name="film-detail"),
    path("films/<slug:slug>/cast/", views.film_cast, name="film-cast"),
    path("films/<slug:slug>/soundtrack/", views.film_soundtrack, name="film-soundtrack"),
    path("films/<slug:slug>/quotes/", views.film_quotes, name="film-quotes"),
    path("films/<slug:slug>/trivia/", views.film_trivia, name="film-trivia"),
    path("films/<slug:slug>/scenes/", views.film_scenes, name="film-scenes"),
    path("films/<slug:slug>/progress/", views.film_progress, name="film-progress"),
    path(
        "films/<slug:film_slug>/characters/<slug:slug>/",
        views.character_detail,
        name="character-detail",
    ),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("quotes/<int:pk>/", views.quote_detail, name="quote-detail"),
]

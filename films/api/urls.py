"""The catalogue's routes under /api/v1/ (mounted, with the community's, by the wiring)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("films", views.FilmViewSet, basename="film")
router.register("people", views.PersonViewSet, basename="person")
router.register("characters", views.CharacterViewSet, basename="character")
router.register("credits", views.CreditViewSet, basename="credit")
router.register("scenes", views.SceneViewSet, basename="scene")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("albums", views.AlbumViewSet, basename="album")
router.register("tracks", views.TrackViewSet, basename="track")
router.register("track-credits", views.TrackCreditViewSet, basename="track-credit")
router.register("trivia", views.TriviaViewSet, basename="trivia")
router.register("awards", views.AwardViewSet, basename="award")
router.register("critic-scores", views.CriticScoreViewSet, basename="critic-score")
router.register("figures", views.FigureViewSet, basename="figure")
router.register("locations", views.LocationViewSet, basename="location")

urlpatterns = router.urls

"""The community's routes under /api/v1/ (mounted, with the catalogue's, by the wiring)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("reviews", views.ReviewViewSet, basename="review")
router.register("collections", views.CollectionViewSet, basename="collection")
router.register("members", views.MemberViewSet, basename="member")

urlpatterns = router.urls

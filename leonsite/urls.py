from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from films.sitemaps import sitemaps
from leonsite.accounts import views as accounts_views
from leonsite.lib import media

from . import views

admin.site.site_header = "Leonsite catalogue"
admin.site.site_title = "Leonsite admin"
admin.site.index_title = "Curate the catalogue"

# Not pages: the same in every language, outside the language prefixes.
urlpatterns = [
    path("theme/", views.set_theme, name="theme"),
    path("language/", views.set_language, name="language"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("leonsite.api")),
]

# The pages: English at the unprefixed URLs, French under /fr/ (leonsite/lib/language.py).
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search-suggest"),
    # Before Django's own: the login page also says why a suspended member can't log in,
    # and is rate-limited per address.
    path("accounts/login/", accounts_views.login_view, name="login"),
    path("accounts/password_reset/", accounts_views.password_reset_view, name="password_reset"),
    path(
        "accounts/password_change/",
        accounts_views.password_change_view,
        name="password_change",
    ),
    path("", include("leonsite.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("reviews.moderation.urls")),
    # Before films: /films/<slug>/reviews/ and /feed/ belong to the community.
    path("", include("reviews.urls")),
    path("", include("films.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.serve))

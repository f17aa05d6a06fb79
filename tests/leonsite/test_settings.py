import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-for-tests-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "leonsite.example",
    "CSRF_TRUSTED_ORIGINS": "https://leonsite.example",
    "DATABASE_URL": "sqlite:////tmp/leonsite-deploy-check.sqlite3",
}


def manage(*args, env=None):
    # A clean environment: the browser tests relax async safety in this process only.
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}
    environ = {k: v for k, v in os.environ.items() if k not in dropped}
    environ.update(env or {})
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_values():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[-1])"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-6:] == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "31536000",
        "True",
        "True",
        "CompressedManifestStaticFilesStorage",
    ]


def test_database_url_selects_postgresql():
    env = {"DATABASE_URL": "postgres://u:p@db.example:5432/leonsite"}
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['OPTIONS']['connect_timeout'])"
    )
    result = manage("shell", "-c", code, env=env)
    assert result.stdout.split()[-4:] == [
        "django.db.backends.postgresql", "leonsite", "db.example", "5"
    ]  # fmt: skip


def test_redis_url_selects_the_redis_cache():
    env = {"REDIS_URL": "redis://127.0.0.1:6379/3"}
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    result = manage("shell", "-c", code, env=env)
    assert result.stdout.split()[-1] == "django_redis.cache.RedisCache"


@pytest.mark.parametrize(
    ("worker", "location"),
    [
        ("", "redis://127.0.0.1:6379/3"),
        ("gw1", "redis://127.0.0.1:6379/2"),
        ("gw16", "redis://127.0.0.1:6379/2"),  # Redis has 16 databases, 0 to 15
    ],
)
def test_each_parallel_test_worker_uses_a_redis_database_of_its_own(worker, location):
    env = {"REDIS_URL": "redis://127.0.0.1:6379/3", "PYTEST_XDIST_WORKER": worker}
    code = "from django.conf import settings as s; print(s.CACHES['default']['LOCATION'])"
    result = manage("shell", "-c", code, env=env)
    assert result.stdout.split()[-1] == location, result.stderr


def boom(request):
    raise RuntimeError("secret detail that must not leak")


urlpatterns = [path("boom/", boom)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_page_is_generic(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "secret detail" not in body and "Traceback" not in body


def test_production_responses_carry_the_security_headers_and_strict_cookies():
    """QUALITY.md S3–S5 and T8, on real responses made with the production settings."""
    code = """
import json
from django.test import Client
from django.conf import settings as s
c = Client(HTTP_HOST="leonsite.example")
secure = c.get("/healthz", secure=True)
plain = c.get("/films/", secure=False)
print(json.dumps({
    "headers": dict(secure.headers),
    "redirect": [plain.status_code, plain.headers.get("Location")],
    "cookies": [s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,
                s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_SAMESITE, s.SESSION_COOKIE_DOMAIN],
}))
"""
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    headers = data["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'",
                      "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
                      "upgrade-insecure-requests"):  # fmt: skip
        assert directive in csp, directive
    assert data["redirect"] == [301, "https://leonsite.example/films/"]
    assert data["cookies"] == [True, True, "Lax", True, "Lax", None]

"""The shell's CSRF field (renda/home/csrf.py): Django's own check accepts it, and each page
gets a fresh mask of the same secret."""

import re
from collections import Counter

from django.conf import settings
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _unmask_cipher_token,
)
from django.test import Client, RequestFactory

from renda.home.csrf import masked_token

FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def test_the_sign_out_form_in_the_shell_posts_through_django_csrf_check(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["deputy"])
    client.get("/")  # the cookie
    page = client.get("/").content.decode()
    token = FIELD.search(page).group(1)
    refused = client.post("/accounts/logout/", {"csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # signed out: the token was taken


def test_masks_differ_and_unmask_to_the_cookie_secret():
    secret = "a" * CSRF_SECRET_LENGTH
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret
    tokens = {masked_token(request) for _ in range(200)}
    assert len(tokens) == 200
    assert all(_unmask_cipher_token(t) == secret for t in tokens)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_the_mask_uses_every_character_evenly():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = CSRF_ALLOWED_CHARS[:CSRF_SECRET_LENGTH]
    counts = Counter("".join(masked_token(request)[:CSRF_SECRET_LENGTH] for _ in range(3000)))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 3000 * CSRF_SECRET_LENGTH / len(CSRF_ALLOWED_CHARS)  # about 1548 each
    assert all(abs(n - expected) < expected * 0.2 for n in counts.values())


def test_without_a_cookie_it_makes_one_like_django():
    request = RequestFactory().get("/")
    token = masked_token(request)
    assert len(token) == 2 * CSRF_SECRET_LENGTH
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert settings.CSRF_COOKIE_NAME

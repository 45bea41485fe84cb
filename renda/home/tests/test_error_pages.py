"""Error pages keep the person oriented, and the 500 page renders even when the database is down."""

from __future__ import annotations

from django.db import DatabaseError
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from renda.home.views import server_error


def test_not_found_page_has_a_title_a_heading_and_the_shell(signed_in):
    response = signed_in("deputy").get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert 'data-testid="current-user"' in content
    assert 'href="/"' in content


def test_server_error_page_renders_without_touching_the_database(db, django_assert_num_queries):
    def broken_user():
        raise DatabaseError("the database is down")

    request = RequestFactory().get("/somewhere/")
    request.user = SimpleLazyObject(broken_user)
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "<main" in content

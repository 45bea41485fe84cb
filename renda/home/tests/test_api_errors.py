"""The API's one error format, for what reaches no endpoint's own code."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("body", ["[1]", '"x"', "3", "null", "true"])
def test_a_body_that_is_not_a_json_object_is_refused_clearly(client, db, body):
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert "object" in response.json()["detail"]


def test_a_wrong_method_is_a_json_405_that_names_the_allowed_ones(client, db):
    response = client.put("/api/v1/auth/token", "{}", content_type="application/json")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert "POST" in response["Allow"]
    assert "POST" in response.json()["detail"]

"""The JSON API at /api/v1/: one NinjaAPI, routers per app, one error format.

Errors are always {"error": "<code>", "detail": "<human message>"} with 400/401/403/404/409/422.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from renda.accounts.api import router as accounts_router
from renda.accounts.auth import BearerTokenAuth, SessionAuth
from renda.calendar.api import router as calendar_router
from renda.deputies.api_activities import duty_records_router
from renda.deputies.api_activities import router as activities_router
from renda.deputies.api_public import router as deputies_public_router
from renda.deputies.api_registry import router as deputies_registry_router
from renda.deputies.api_scoring import router as deputies_scoring_router
from renda.errors import DomainError
from renda.livelihood.api import router as livelihood_router
from renda.notifications.api import router as notifications_router
from renda.opinions.api_handling import router as opinions_handling_router
from renda.opinions.api_receiving import router as opinions_receiving_router
from renda.opinions.api_stations import router as stations_router
from renda.opinions.api_stats import router as station_stats_router
from renda.orgs.api import router as orgs_router
from renda.routing.api import router as routing_router
from renda.search.api import router as search_router
from renda.suggestions.api_answers import commitments_router
from renda.suggestions.api_answers import router as suggestions_answers_router
from renda.suggestions.api_assignment import return_requests_router
from renda.suggestions.api_assignment import router as suggestions_assignment_router
from renda.suggestions.api_attachments import attachments_router
from renda.suggestions.api_attachments import router as suggestions_attachments_router
from renda.suggestions.api_merging import router as suggestions_merging_router
from renda.suggestions.api_stats import router as stats_router
from renda.suggestions.api_submission import router as suggestions_submission_router
from renda.votes.api import router as votes_router


class ObjectBodyParser(Parser):
    """Every request body of this API is a JSON object: `[1]`, `"x"` or `3` is refused rather
    than read as an empty payload (which would let {"ids": ...}-style filters silently vanish)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise HttpError(400, "renda:body-not-object")
        return data


api = NinjaAPI(
    parser=ObjectBodyParser(),
    title="Renda API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[BearerTokenAuth(), SessionAuth()],
)

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "too_many_requests",
}


def error_response(
    request: HttpRequest, status: int, detail: str, code: str | None = None, **extra: Any
) -> HttpResponse:
    body = {"error": code or STATUS_CODES.get(status, "error"), "detail": detail, **extra}
    return api.create_response(request, body, status=status)


def _describe_validation(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors:
        # ("body", <param>, field...) or ("query"|"path", field...): drop only the source and
        # the body parameter's name, so a field itself called "body" is still named.
        loc = [str(p) for p in err.get("loc", [])]
        if loc[:1] == ["body"]:
            loc = loc[2:]
        elif loc[:1] in (["query"], ["path"]):
            loc = loc[1:]
        where = ".".join(loc) or "input"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or _("The request is not valid.")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"loc": list(e.get("loc", [])), "msg": str(e.get("msg", ""))} for e in exc.errors]
    return error_response(request, 422, _describe_validation(errors), errors=errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request,
        401,
        _("Sign in first: send a valid, unexpired bearer token (POST /api/v1/auth/token)."),
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc.message)
    cause = exc.__cause__
    if isinstance(cause, HttpError) and str(cause.message) == "renda:body-not-object":
        return error_response(request, 422, _("The request body must be a JSON object."))
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        # django-ninja's own (untranslated) words for a body that is not JSON.
        return error_response(
            request, 400, _("The request body is not valid JSON."), code="malformed_json"
        )
    return error_response(request, exc.status_code, message)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(
        request,
        400,
        _("The request body is too large (at most %(limit)d bytes).") % {"limit": limit},
        code="too_large",
    )


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return error_response(request, 400, _("The request is not valid."))


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(request, exc.status, exc.detail, code=exc.code)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, str(exc) or _("You may not do this."))


# The citizens' submissions and look-ups first: Django tries the API's URL patterns in order,
# and these are the busiest calls there are (issue 5's ≥ 200 submissions/s); the paths do not
# overlap with any other router's, so the order changes nothing else.
api.add_router("/opinions", opinions_receiving_router, tags=["opinions"])
api.add_router("", accounts_router, tags=["accounts"])
api.add_router("/calendar", calendar_router, tags=["calendar"])
api.add_router("/notifications", notifications_router, tags=["notifications"])
api.add_router("", orgs_router, tags=["orgs"])
api.add_router("", search_router, tags=["search"])
api.add_router("/suggestions", suggestions_submission_router, tags=["suggestions"])
api.add_router("/suggestions", suggestions_assignment_router, tags=["suggestions"])
api.add_router("/return-requests", return_requests_router, tags=["suggestions"])
api.add_router("/suggestions", suggestions_answers_router, tags=["suggestions"])
api.add_router("/commitments", commitments_router, tags=["suggestions"])
api.add_router("/suggestions", suggestions_attachments_router, tags=["suggestions"])
api.add_router("/suggestions", suggestions_merging_router, tags=["suggestions"])
api.add_router("/attachments", attachments_router, tags=["suggestions"])
api.add_router("/stats", stats_router, tags=["statistics"])
api.add_router("/deputies", deputies_registry_router, tags=["deputies"])
api.add_router("/deputies", deputies_scoring_router, tags=["deputies"])
api.add_router("/deputies", deputies_public_router, tags=["deputies"])
api.add_router("/activities", activities_router, tags=["deputies"])
api.add_router("/opinions", opinions_handling_router, tags=["opinions"])
api.add_router("/stations", stations_router, tags=["opinions"])
api.add_router("/stats", station_stats_router, tags=["statistics"])
api.add_router("/duty-records", duty_records_router, tags=["deputies"])
api.add_router("/livelihood", livelihood_router, tags=["livelihood"])
api.add_router("", votes_router, tags=["votes"])
api.add_router("/routing", routing_router, tags=["routing"])

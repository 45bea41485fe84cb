from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _

JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"


class SecureCookiesOnHttpsMiddleware:
    """Mark every cookie Secure when the request came over HTTPS (session, CSRF, language)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response


class ApiMethodNotAllowedMiddleware:
    """django-ninja answers a wrong method with a plain-text 405; the API speaks JSON only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            allowed = response.get("Allow", "")
            body = {
                "error": "method_not_allowed",
                "detail": _("This address accepts only: %(methods)s.") % {"methods": allowed},
            }
            json_response = JsonResponse(body, status=405)
            json_response["Allow"] = allowed
            return json_response
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy on pages; on JSON (the API) a fixed, stricter one — a JSON answer
    loads nothing and is framed by nobody — without building the page policy for every call
    (a citizen's submission is the busiest request there is)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("application/json"):
            if "Content-Security-Policy" not in response:
                response["Content-Security-Policy"] = JSON_POLICY
            return response
        return super().process_response(request, response)

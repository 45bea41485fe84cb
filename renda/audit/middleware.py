from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from ipware import get_client_ip

from .context import current_address


class RequestAddressMiddleware:
    """Remember the client address for audit events written while serving this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip, _routable = get_client_ip(request)
        token = current_address.set(ip)
        try:
            return self.get_response(request)
        finally:
            current_address.reset(token)

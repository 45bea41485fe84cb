from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .addresses import client_address
from .context import current_address


class RequestAddressMiddleware:
    """Remember the client address for audit events written while serving this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            current_address.reset(token)

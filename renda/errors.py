"""Domain errors shared by every app: the HTML layer shows them, the API maps them to codes."""

from __future__ import annotations


class DomainError(Exception):
    """A request that breaks a business rule or an invalid state transition (API: 409)."""

    code = "conflict"
    status = 409

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code


class InvalidInput(DomainError):
    """Input that is well-formed but not acceptable (API: 422)."""

    code = "invalid"
    status = 422


class NotFound(DomainError):
    """Missing, or not visible to this user: the same answer for both (API: 404)."""

    code = "not_found"
    status = 404


class Forbidden(DomainError):
    """Visible, but this user may not do this to it (API: 403)."""

    code = "forbidden"
    status = 403


def require(condition: bool, detail: str = "", *, error: type[DomainError] = Forbidden) -> None:
    """Raise `error` unless `condition` holds."""
    if not condition:
        raise error(detail or "You may not do this.")

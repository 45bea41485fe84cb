"""The page shell — asset links, header with the role-based navigation, footer with the language
switch — rendered once for each distinct set of inputs and kept in the process.

Every page draws the shell, and drawing it through the template engine cost more than the rest
of a simple page (issue 2, "Benchmark"; docs/performance.md). What it shows depends only on the
language, who is signed in (their name), the navigation entries they may use with the current one
marked, and their unread count; those form the cache key. The two per-request parts — the CSRF
token of the sign-out and language forms, and the page's own address for the language switch —
are put in at the end, escaped, in place of marks that no text can contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.functional import LazyObject
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .csrf import masked_token
from .navigation import navigation_for

# Private-use characters: never in a translation, a name or an address.
CSRF_MARK = "\ue000csrf\ue001"
NEXT_MARK = "\ue000next\ue001"
# Distinct headers kept per process (a few per person and page kind: bounded, not per request).
CACHE_SIZE = 4096


@dataclass(frozen=True)
class ShellKey:
    language: str
    signed_in: bool
    display_name: str
    nav: tuple[tuple[str, str, str, str, str, str], ...]  # key, label, url, current, group…
    unread: int
    password_change_current: bool


def _grouped(nav: tuple[tuple[str, str, str, str, str, str], ...]) -> list[dict[str, Any]]:
    """The header's entries, a group's entries gathered into one drop-down menu where a person
    sees two or more of them (renda.home.navigation.GROUPS)."""
    out: list[dict[str, Any]] = []
    for k, label, url, current, group, group_label in nav:
        entry = {"key": k, "label": label, "url": url, "current": current}
        if group and out and out[-1].get("group") == group:
            out[-1]["entries"].append(entry)
            continue
        out.append({"group": group, "label": group_label, "entries": [entry]})
    flat: list[dict[str, Any]] = []
    for block in out:
        if block["group"] and len(block["entries"]) > 1:
            block["key"] = block["group"]
            block["is_menu"] = True
            block["current"] = any(e["current"] for e in block["entries"])
            flat.append(block)
        else:
            flat.extend(block["entries"])
    return flat


@lru_cache(maxsize=CACHE_SIZE)
def _render(key: ShellKey) -> tuple[str, str]:
    context = {
        "signed_in": key.signed_in,
        "display_name": key.display_name,
        "nav_items": _grouped(key.nav),
        "unread_count": key.unread,
        "password_change_current": key.password_change_current,
        "csrf_input": mark_safe(CSRF_MARK),  # noqa: S308 - a fixed mark, replaced below
        "next_path": mark_safe(NEXT_MARK),  # noqa: S308 - a fixed mark, replaced below
        "LANGUAGE_CODE": key.language,
    }
    header = get_template("shell/header.html").render(context)
    footer = get_template("shell/footer.html").render(context)
    return header, footer


@lru_cache(maxsize=8)
def _assets(language: str) -> str:
    return get_template("shell/assets.html").render({})


def _unwrapped(user: Any) -> Any:
    """The user behind request.user's lazy wrapper (its attributes are read many times here)."""
    if isinstance(user, LazyObject):
        user.is_authenticated  # noqa: B018 - loads the wrapped user
        return user._wrapped
    return user


# The navigation a person sees on a page is a function of their roles, their account flags and
# the page (renda.home.navigation: the entries' predicates look at nothing else), so it is kept
# under exactly those.
_nav_cache: dict[tuple[Any, ...], tuple[tuple[str, str, str, str, str, str], ...]] = {}


def _navigation(request: HttpRequest, user: Any, language: str) -> tuple[Any, ...]:
    from renda.accounts.permissions import role_assignments

    key = (
        tuple((ra.role, ra.congress_id, ra.unit_id) for ra in role_assignments(user)),
        user.is_active,
        user.is_staff,
        user.is_superuser,
        language,
        request.path,
    )
    nav = _nav_cache.get(key)
    if nav is None:
        nav = tuple(
            (link.key, str(link.label), link.url, link.current, link.group, str(link.group_label))
            for link in navigation_for(request)
        )
        if len(_nav_cache) >= CACHE_SIZE:
            _nav_cache.clear()
        _nav_cache[key] = nav
    return nav


@lru_cache(maxsize=1)
def _password_change_url() -> str:
    from django.urls import reverse

    return reverse("accounts:password_change")


class Shell:
    """The shell of one response; parts are drawn on first use (an htmx fragment draws none)."""

    def __init__(self, request: HttpRequest | None) -> None:
        self._request = request
        self._parts: tuple[str, str] | None = None

    def _key(self) -> ShellKey:
        from renda.notifications.queries import unread_count

        request = self._request
        user: Any = _unwrapped(getattr(request, "user", None)) if request is not None else None
        signed_in = bool(user is not None and user.is_authenticated)
        path = request.path if request is not None else ""
        language = get_language() or ""
        return ShellKey(
            language=language,
            signed_in=signed_in,
            display_name=user.display_name if signed_in else "",
            nav=_navigation(request, user, language) if signed_in and request else (),
            unread=unread_count(user) if signed_in else 0,
            password_change_current=signed_in and path == _password_change_url(),
        )

    def _render_parts(self) -> tuple[str, str]:
        if self._parts is None:
            header, footer = _render(self._key())
            request = self._request
            if request is not None:
                csrf = format_html(
                    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                    masked_token(request),
                )
                nxt = escape(request.get_full_path())
            else:
                csrf, nxt = "", "/"
            self._parts = (
                header.replace(CSRF_MARK, csrf),
                footer.replace(CSRF_MARK, csrf).replace(NEXT_MARK, nxt),
            )
        return self._parts

    @property
    def header(self) -> SafeString:
        return mark_safe(self._render_parts()[0])  # noqa: S308 - rendered by our templates

    @property
    def footer(self) -> SafeString:
        return mark_safe(self._render_parts()[1])  # noqa: S308 - rendered by our templates

    @property
    def assets(self) -> SafeString:
        return mark_safe(_assets(get_language() or ""))  # noqa: S308 - our template


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    """Tests change settings (static storage, languages): draw the shell anew after that."""
    _render.cache_clear()
    _assets.cache_clear()
    _nav_cache.clear()
    _skeleton.cache_clear()


# --- A page drawn from its skeleton --------------------------------------------------------
# A page whose body is already rendered (the kept home page) needs nothing of the template
# engine but the frame around it: the frame is drawn once per template and language with marks
# where the shell's parts and the body go, and filled in by string joins.
HEADER_MARK = "\ue000header\ue001"
FOOTER_MARK = "\ue000footer\ue001"
CONTENT_MARK = "\ue000content\ue001"


class _MarkShell:
    header = mark_safe(HEADER_MARK)  # noqa: S308 - a fixed mark
    footer = mark_safe(FOOTER_MARK)  # noqa: S308 - a fixed mark

    @property
    def assets(self) -> SafeString:
        return mark_safe(_assets(get_language() or ""))  # noqa: S308 - our template


@lru_cache(maxsize=64)
def _skeleton(template_name: str, language: str) -> tuple[str, str, str, str]:
    html = get_template(template_name).render(
        {"shell": _MarkShell(), "messages": (), "content": mark_safe(CONTENT_MARK)}  # noqa: S308
    )
    head, rest = html.split(HEADER_MARK)
    middle, rest = rest.split(CONTENT_MARK)
    tail, end = rest.split(FOOTER_MARK)
    return head, middle, tail, end


def has_messages(request: HttpRequest) -> bool:
    """Whether a flash message waits for this response (then the page is drawn the usual way,
    which shows it once)."""
    from django.contrib.messages import get_messages

    storage = get_messages(request)
    return bool(getattr(storage, "_queued_messages", None)) or bool(
        storage._loaded_messages  # type: ignore[attr-defined]
    )


def page_from_skeleton(request: HttpRequest, template_name: str, content: str) -> str:
    """The page `template_name` (a template that extends base.html and puts `{{ content }}` in
    its content block) around an already rendered `content`, with this request's shell."""
    head, middle, tail, end = _skeleton(template_name, get_language() or "")
    shell = Shell(request)
    return "".join((head, shell.header, middle, content, tail, shell.footer, end))

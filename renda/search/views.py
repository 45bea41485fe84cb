"""Search screens (issue 7 points 5–6): the search page, the live results under the list pages'
search boxes (htmx), and the similar-suggestions panel of the submit form and the register page.
Thin: parse, call queries, render."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from renda.errors import DomainError

from . import queries
from .forms import SearchForm, SimilarForm
from .permissions import congress_for_similar, may_find_similar

QUICK_HITS = 8


def _results(request: HttpRequest, form: SearchForm, per_page: int) -> queries.Results | None:
    if not form.is_valid() or not form.cleaned_data["q"]:
        return None
    data = form.cleaned_data
    return queries.search(
        request.user,
        data["q"],
        kind=data["kind"] or None,
        year=data["year"],
        state=data["state"] or None,
        page=data["page"] or 1,
        per_page=per_page,
    )


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """The search page: a GET form, results with highlighted snippets, next/previous pages.
    Asked by htmx (the page's own box), only the results part is sent."""
    form = SearchForm(request.GET or None)
    results = _results(request, form, queries.PER_PAGE)
    template = "search/_results.html" if request.headers.get("HX-Request") else "search/page.html"
    return render(
        request, template, {"form": form, "results": results, "base_query": _base_query(request)}
    )


def _base_query(request: HttpRequest) -> str:
    """The search's parameters without the page (for next/previous links and "all results")."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def quick(request: HttpRequest) -> HttpResponse:
    """The first hits under a list page's search box (htmx), with a link to all of them."""
    form = SearchForm(request.GET or None)
    results = _results(request, form, QUICK_HITS)
    return render(
        request,
        "search/_quick.html",
        {"form": form, "results": results, "base_query": _base_query(request)},
    )


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """Suggestions that look like the same matter: as a deputy types a title (the submit form),
    or for a suggestion the office is about to register (`?suggestion=`)."""
    if not may_find_similar(request.user):
        raise Http404
    form = SimilarForm(request.GET)
    if not form.is_valid():
        return render(request, "search/_similar.html", {"items": []})
    data = form.cleaned_data
    title, body, exclude, congress = data["title"] or "", data["body"] or "", None, data["congress"]
    if data["suggestion"]:
        from renda.suggestions.permissions import get_suggestion_for_user

        try:
            s = get_suggestion_for_user(request.user, data["suggestion"])
        except DomainError:
            raise Http404 from None
        title, body, exclude, congress = s.title, s.body, s.pk, s.congress_id
    try:
        congress = congress_for_similar(request.user, congress)
    except DomainError:
        return render(request, "search/_similar.html", {"items": []})
    items = queries.similar_suggestions(
        request.user, title=title, body=body, congress=congress, exclude=exclude
    )
    context = {"items": items, "for_office": bool(data["suggestion"])}
    if data["suggestion"]:
        context.update(_merge_controls(request.user, s, items))
    if request.headers.get("HX-Request"):
        return render(request, "search/_similar.html", context)
    return render(request, "search/similar.html", context)


def _merge_controls(user: Any, suggestion: Any, items: list[queries.Similar]) -> dict[str, Any]:
    """并案 (issue 7 point 4): on the office's page of a suggestion that may still be merged, a
    "merge into this" control next to each similar suggestion it may be merged into (the action
    checks everything again)."""
    from renda.suggestions.actions.merging import MERGEABLE, PRIMARY_STATES
    from renda.suggestions.permissions import is_office

    if suggestion.state not in MERGEABLE or not is_office(user, suggestion):
        return {}
    for item in items:
        item.mergeable = item.state in PRIMARY_STATES
    return {"merge_from": suggestion}

"""Pages of performance points (DEP-SCORE): the deputy's portrait (我的履职积分; the office sees
any of its deputies'), the office's ranked list with its Excel export, the rule-table form, the
history of computations, and the "computing…" status the list polls with htmx. Thin: objects
through permissions (404), reads through queries_scoring, writes through actions.scoring."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role
from renda.errors import DomainError, InvalidInput

from .actions.scoring import change_rule_table, clean_year, ensure_rule_table, request_recompute
from .choices import DutyKind
from .forms_scoring import RuleTableForm
from .models import Delegation, DeputyGroup, Deputyship, ScoreRuleTable
from .permissions import can_manage_any_scores, get_scored_deputyship, valid_pk
from .queries_scoring import (
    ScoreView,
    congress_for_scores,
    grade_counts,
    last_scoring,
    pending_recomputes,
    rank_rows,
    ranked_scores,
    rule_tables,
    score_view,
    scored_years,
    scoring_congresses,
    scoring_history,
    year_totals,
)
from .scoring_export import filename, workbook_file
from .scoring_rules import GRADE_ORDER, ScoreGrade, grade_label

PAGE_SIZE = 50
YEARS_SHOWN = 6


def _year_param(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return timezone.localdate().year if raw == "" else clean_year(raw)


# --- the portrait ---------------------------------------------------------------------------
def _chart_data(view: ScoreView, years: list[dict[str, Any]]) -> dict[str, Any]:
    rows = [r for r in view.rows if r.count or r.per_record > 0]
    return {
        "kinds": {
            "names": [r.label for r in rows],
            "points": [float(r.points) for r in rows],
        },
        "years": {
            "names": [str(y["year"]) for y in years],
            "totals": [float(y["total"]) for y in years],
        },
        "bands": [
            {"min": b["min"], "name": grade_label(b["grade"])}
            for b in view.table.rules["bands"]
            if b["min"] is not None
        ],
        "max": view.table.rules.get("max_total"),
        "labels": {"points": _("Points"), "total": _("Total")},
    }


def _portrait(request: HttpRequest, deputyship: Deputyship, *, own: bool) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = _year_param(request)
    except InvalidInput as err:
        return render(request, "deputies/scoring/portrait.html", {"error": err.detail}, status=422)
    view = score_view(deputyship, year, today=today)
    current = view if view is not None and view.year == today.year else None
    years = year_totals(deputyship, current=current)
    choices = sorted({today.year, *(y["year"] for y in years)}, reverse=True)
    others = []
    if own:
        others = list(
            Deputyship.objects.filter(person=deputyship.person)
            .exclude(pk=deputyship.pk)
            .select_related("congress", "term")
        )
    return render(
        request,
        "deputies/scoring/portrait.html",
        {
            "deputyship": deputyship,
            "own": own,
            "year": year,
            "years": choices,
            "view": view,
            "year_rows": years,
            "chart_data": _chart_data(view, years) if view else None,
            "others": others,
            "is_current_year": year == today.year,
        },
    )


@login_required
@require_GET
def my_score(request: HttpRequest) -> HttpResponse:
    """我的履职积分: the signed-in deputy's portrait (`?deputy=` picks one of their seats)."""
    mine = Deputyship.objects.filter(person__user=request.user).select_related(
        "person", "congress", "term", "delegation"
    )
    wanted = request.GET.get("deputy")
    deputyship = None
    if wanted:
        deputyship = mine.filter(pk=valid_pk(wanted)).first()
        if deputyship is None:
            raise Http404
    else:
        deputyship = mine.order_by("status", "-term__start_date", "pk").first()
    if deputyship is None:
        if not has_role(request.user, Role.DEPUTY):
            raise Http404
        return render(request, "deputies/scoring/portrait.html", {"not_registered": True})
    return _portrait(request, deputyship, own=True)


@login_required
@require_GET
def deputy_score(request: HttpRequest, pk: int) -> HttpResponse:
    """A deputy's portrait as the office (or the deputy themself) sees it."""
    deputyship = get_scored_deputyship(request.user, pk)
    own = deputyship.person.user_id == request.user.pk
    return _portrait(request, deputyship, own=own)


# --- the office's list ------------------------------------------------------------------------
@dataclass
class ListFilter:
    congress: Any
    year: int
    delegation: Delegation | None
    group: DeputyGroup | None
    grade: str

    def query(self, **extra: Any) -> str:
        params = {"congress": self.congress.pk, "year": self.year}
        if self.delegation:
            params["delegation"] = self.delegation.pk
        if self.group:
            params["group"] = self.group.pk
        if self.grade:
            params["grade"] = self.grade
        params.update(extra)
        return urlencode(params)


def _pk_or_none(raw: str | None) -> int | None:
    return None if raw in (None, "") else valid_pk(raw)


def _list_filter(request: HttpRequest) -> ListFilter:
    """The list's filters: a congress the user's office manages (else 404), a year (422 naming
    the field), and a delegation/group of that congress and a known grade (else 422)."""
    congress = congress_for_scores(request.user, _pk_or_none(request.GET.get("congress")))
    year = _year_param(request)
    delegation = group = None
    raw = request.GET.get("delegation")
    if raw:
        delegation = Delegation.objects.filter(pk=valid_pk(raw), congress=congress).first()
        if delegation is None:
            raise InvalidInput(_("delegation: not a delegation of this congress."))
    raw = request.GET.get("group")
    if raw:
        group = DeputyGroup.objects.filter(pk=valid_pk(raw), congress=congress).first()
        if group is None:
            raise InvalidInput(_("group: not a group of this congress."))
    grade = request.GET.get("grade", "")
    if grade and grade not in GRADE_ORDER:
        raise InvalidInput(_("grade: one of %(grades)s.") % {"grades": ", ".join(GRADE_ORDER)})
    return ListFilter(congress, year, delegation, group, grade)


def _office_or_404(request: HttpRequest) -> None:
    if not can_manage_any_scores(request.user):
        raise Http404


@login_required
@require_GET
def scores_list(request: HttpRequest) -> HttpResponse:
    _office_or_404(request)
    try:
        f = _list_filter(request)
    except InvalidInput as err:
        return render(request, "deputies/scoring/scores.html", {"error": err.detail}, status=422)
    ensure_rule_table(f.congress, by=request.user)
    qs = ranked_scores(f.congress, f.year, delegation=f.delegation, group=f.group, grade=f.grade)
    grades = grade_counts(f.congress, f.year)
    paginator = Paginator(qs.defer("by_kind"), PAGE_SIZE)
    if f.delegation is None and f.group is None:
        # The grade counts already say how many rows there are: no second scan to count them.
        paginator.count = grades.get(f.grade, 0) if f.grade else sum(grades.values())
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = rank_rows(list(page.object_list), qs)
    today = timezone.localdate()
    years = sorted(
        {*range(today.year, today.year - YEARS_SHOWN, -1), *scored_years(f.congress)},
        reverse=True,
    )
    return render(
        request,
        "deputies/scoring/scores.html",
        {
            "f": f,
            "page": page,
            "congresses": list(scoring_congresses(request.user)),
            "years": years,
            "delegations": Delegation.objects.filter(congress=f.congress).order_by("name"),
            "groups": DeputyGroup.objects.filter(congress=f.congress).order_by("name"),
            "grades": ScoreGrade.choices,
            "grade_counts": [(grade_label(g), n) for g, n in grades.items()],
            "last": last_scoring(f.congress, f.year),
            "pending": pending_recomputes(f.congress, f.year),
            "page_query": f.query(),
        },
    )


@login_required
@require_GET
def scores_xlsx(request: HttpRequest) -> HttpResponse:
    _office_or_404(request)
    try:
        f = _list_filter(request)
    except InvalidInput as err:
        return HttpResponse(err.detail, status=422, content_type="text/plain; charset=utf-8")
    qs = ranked_scores(f.congress, f.year, delegation=f.delegation, group=f.group, grade=f.grade)
    out = workbook_file(f.congress, f.year, qs, last_scoring(f.congress, f.year))
    return FileResponse(out, as_attachment=True, filename=filename(f.congress, f.year))


@login_required
@require_GET
def scores_status(request: HttpRequest) -> HttpResponse:
    """htmx: "computing…" while a recomputation of the congress-year waits or runs; when it is
    done, the page that was waiting reloads itself (HX-Refresh)."""
    _office_or_404(request)
    try:
        f = _list_filter(request)
    except InvalidInput as err:
        return HttpResponse(err.detail, status=422, content_type="text/plain; charset=utf-8")
    pending = pending_recomputes(f.congress, f.year)
    response = render(
        request,
        "deputies/scoring/_status.html",
        {"f": f, "pending": pending, "waiting": request.GET.get("waiting") == "1"},
    )
    if not pending and request.GET.get("waiting") == "1" and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def scores_recompute(request: HttpRequest) -> HttpResponse:
    _office_or_404(request)
    congress = congress_for_scores(request.user, _pk_or_none(request.POST.get("congress")))
    back = reverse("deputies:scores") + "?" + urlencode({"congress": congress.pk})
    try:
        outcome = request_recompute(congress, request.POST.get("year", ""), by=request.user)
    except DomainError as err:
        messages.error(request, err.detail)
        return redirect(back)
    back = (
        reverse("deputies:scores")
        + "?"
        + urlencode({"congress": congress.pk, "year": outcome.year})
    )
    if outcome.queued:
        messages.info(request, _("The scores are being computed in the background."))
    else:
        messages.success(
            request,
            _("Scores for %(year)d recomputed: %(n)d deputies.")
            % {"year": outcome.year, "n": outcome.scoring.deputies if outcome.scoring else 0},
        )
    return redirect(back)


# --- the rule table ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def score_rules(request: HttpRequest) -> HttpResponse:
    """The office edits the congress's table: saving makes a new table (the old one is kept)
    and recomputes this year's scores, and those of the years ticked."""
    _office_or_404(request)
    source = request.POST if request.method == "POST" else request.GET
    congress = congress_for_scores(request.user, _pk_or_none(source.get("congress")))
    table = ensure_rule_table(congress, by=request.user)
    this_year = timezone.localdate().year
    years = [y for y in scored_years(congress) if y != this_year]
    if request.method == "POST":
        form = RuleTableForm(request.POST, years=years)
        if form.is_valid():
            try:
                new, outcomes = change_rule_table(
                    congress,
                    name=form.cleaned_data["name"],
                    rules=form.rules(),
                    by=request.user,
                    recompute_years=form.cleaned_data["recompute_years"],
                )
            except InvalidInput as err:
                field = form.field_of(err.detail)
                # On the field itself the message needs no "points.leave:" in front.
                form.add_error(field, err.detail.split(": ", 1)[-1] if field else err.detail)
            except DomainError as err:
                form.add_error(None, err.detail)
            else:
                queued = [o.year for o in outcomes if o.queued]
                done = [o.year for o in outcomes if not o.queued]
                if done:
                    messages.success(
                        request,
                        _("The new score table is in force; scores recomputed for %(years)s.")
                        % {"years": ", ".join(map(str, done))},
                    )
                if queued:
                    messages.info(
                        request,
                        _(
                            "The new score table is in force; the scores for %(years)s are "
                            "being computed in the background."
                        )
                        % {"years": ", ".join(map(str, queued))},
                    )
                query = urlencode({"congress": congress.pk, "year": this_year})
                return redirect(reverse("deputies:scores") + "?" + query)
        status = 422
    else:
        form = RuleTableForm(initial=RuleTableForm.initial_from(table), years=years)
        status = 200
    return render(
        request,
        "deputies/scoring/rules.html",
        {
            "form": form,
            "table": table,
            "congress": congress,
            "congresses": list(scoring_congresses(request.user)),
            "this_year": this_year,
        },
        status=status,
    )


@login_required
@require_GET
def score_rule_table(request: HttpRequest, pk: int) -> HttpResponse:
    """One table as it was (read-only), with the computations that used it."""
    _office_or_404(request)
    congresses = scoring_congresses(request.user)
    table = (
        ScoreRuleTable.objects.select_related("congress", "created_by")
        .filter(pk=valid_pk(pk), congress__in=congresses)
        .first()
    )
    if table is None:
        raise Http404
    rules = table.rules
    rows = [
        {
            "label": DutyKind(kind).label,
            "points": rules["points"].get(kind, 0),
            "cap": rules["caps"].get(kind),
        }
        for kind in rules["points"]
    ]
    bands = [{"label": grade_label(b["grade"]), "min": b["min"]} for b in rules["bands"]]
    return render(
        request,
        "deputies/scoring/rule_table.html",
        {
            "table": table,
            "rows": rows,
            "bands": bands,
            "scorings": table.scorings.select_related("computed_by").order_by("-computed_at")[:50],
        },
    )


@login_required
@require_GET
def score_history(request: HttpRequest) -> HttpResponse:
    """Every computation of the congress's scores, and every table it has had."""
    _office_or_404(request)
    congress = congress_for_scores(request.user, _pk_or_none(request.GET.get("congress")))
    page = Paginator(scoring_history(congress), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "deputies/scoring/history.html",
        {
            "congress": congress,
            "congresses": list(scoring_congresses(request.user)),
            "page": page,
            "tables": rule_tables(congress),
            "page_query": urlencode({"congress": congress.pk}),
        },
    )

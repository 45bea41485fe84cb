"""Reads of the public part: a deputy's public profile (DEP-PUBLIC), the citizens' messages, the
work plans (DEP-PLAN) and what the home page shows of them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from renda.suggestions.masking import mask_personal

from .choices import DEDUCTION_KINDS, DeputyshipStatus, DutyKind
from .models import (
    PUBLISHABLE_FIELDS,
    CitizenMessage,
    DeputyScore,
    Deputyship,
    DutyRecord,
    DutyTally,
    WorkPlan,
)
from .permissions import public_fields_of

# The year's record on a profile lists at most this many duties (newest first); the counts by
# kind are always complete.
PROFILE_RECORDS_MAX = 100
# A code is secrets.token_urlsafe: letters, digits, "-" and "_" (anything else is no code).
PUBLIC_CODE_RE = re.compile(r"[A-Za-z0-9_-]{1,20}")


@dataclass
class PublicDuty:
    occurred_on: date
    kind: str
    kind_label: str
    title: str  # "" when the title may not be published


@dataclass
class PublicProfile:
    """DEP-PUBLIC: everything a profile page shows — and nothing else. Built from the
    deputyship's published fields only; private data never enters it."""

    deputyship: Deputyship
    year: int
    fields: set[str]
    status: str
    status_label: str
    status_since: date | None
    values: list[tuple[str, str, str]]  # (field, label, value) of the published fields
    groups: list[str]
    expertise: list[str]
    has_photo: bool
    counts: list[tuple[str, str, int]]  # (kind, label, count)
    total: int
    duties: list[PublicDuty]
    score: tuple[Decimal, str] | None
    years: list[int] = field(default_factory=list)

    @property
    def more_than_listed(self) -> int:
        return max(0, self.total - len(self.duties))


def get_public_deputyship(code: Any) -> Deputyship:
    """The deputyship behind a deputy code (代表码), or 404."""
    if not isinstance(code, str) or not PUBLIC_CODE_RE.fullmatch(code):
        raise Http404
    deputyship = (
        Deputyship.objects.select_related("person", "congress", "term", "delegation")
        .filter(public_code=code)
        .first()
    )
    if deputyship is None:
        raise Http404
    return deputyship


def _published_suggestion_ids(ids: set[int]) -> set[int]:
    """SUG-PUBLIC: of these suggestions, those whose answers are published."""
    if not ids:
        return set()
    from renda.suggestions.views_public import published_suggestions

    return set(published_suggestions().filter(pk__in=ids).values_list("pk", flat=True))


def _suggestion_id(ref: str) -> int | None:
    prefix, _, rest = (ref or "").partition(":")
    if prefix == "suggestion" and rest.isdigit():
        return int(rest)
    return None


def public_duties(
    deputyship: Deputyship, year: int
) -> tuple[list[tuple[str, str, int]], int, list[PublicDuty]]:
    """DEP-PUBLIC: the year's duties by kind, and the dated list. Titles are shown only where
    they are public anyway: an organised activity's title (masked, SUG-PUBLIC's masking), a
    suggestion's title only when its answers are published (SUG-PUBLIC); anything else (entries
    by the office, motions) shows its kind alone. Leave and absences are not duties and are not
    listed."""
    records = DutyRecord.objects.filter(deputyship=deputyship, year=year).exclude(
        kind__in=DEDUCTION_KINDS
    )
    by_kind = dict(
        DutyTally.objects.filter(deputyship=deputyship, year=year, n__gt=0)
        .exclude(kind__in=DEDUCTION_KINDS)
        .values_list("kind", "n")
        .order_by()
    )
    labels = dict(DutyKind.choices)
    counts = [(k, str(labels[k]), by_kind[k]) for k in DutyKind.values if by_kind.get(k)]
    total = sum(by_kind.values())
    rows = list(
        records.order_by("-occurred_on", "-id").values(
            "occurred_on", "kind", "title", "source_ref", "activity_id"
        )[:PROFILE_RECORDS_MAX]
    )
    published = _published_suggestion_ids(
        {i for r in rows if (i := _suggestion_id(r["source_ref"])) is not None}
    )
    duties = []
    for r in rows:
        sid = _suggestion_id(r["source_ref"])
        if r["kind"] == DutyKind.SUGGESTION and sid is not None:
            title = mask_personal(r["title"]) if sid in published else ""
        elif r["activity_id"] is not None:
            title = mask_personal(r["title"])
        else:
            title = ""
        duties.append(
            PublicDuty(r["occurred_on"], r["kind"], str(labels.get(r["kind"], r["kind"])), title)
        )
    return counts, total, duties


# DEP-PUBLIC: the words for each publishable field (models.PUBLISHABLE_FIELDS).
FIELD_LABELS = {
    "photo": _("Photo"),
    "gender": _("Gender"),
    "ethnicity": _("Ethnicity"),
    "party": _("Political affiliation"),
    "workplace": _("Workplace and post"),
    "electoral_unit": _("Electoral unit or constituency"),
    "delegation": _("Delegation"),
    "groups": _("Deputy groups"),
    "sector": _("Sector"),
    "expertise": _("Expertise"),
}


def _values(deputyship: Deputyship, fields: set[str]) -> list[tuple[str, str, str]]:
    person = deputyship.person
    values = {
        "gender": person.get_gender_display() if person.gender else "",
        "ethnicity": person.ethnicity,
        "party": person.get_party_display() if person.party else "",
        "workplace": person.workplace,
        "electoral_unit": deputyship.electoral_unit,
        "delegation": deputyship.delegation.name if deputyship.delegation_id else "",
        "sector": person.get_sector_display() if person.sector else "",
    }
    return [
        (f, str(FIELD_LABELS[f]), str(values[f]))
        for f in PUBLISHABLE_FIELDS
        if f in fields and values.get(f)
    ]


def public_profile(deputyship: Deputyship, year: int) -> PublicProfile:
    """DEP-PUBLIC: the deputy's published information and the year's duty record."""
    fields = public_fields_of(deputyship)
    person = deputyship.person
    groups = (
        list(deputyship.groups.order_by("name").values_list("name", flat=True))
        if "groups" in fields
        else []
    )
    expertise = (
        list(person.expertise.order_by("name").values_list("name", flat=True))
        if "expertise" in fields
        else []
    )
    counts, total, duties = public_duties(deputyship, year)
    score_row = (
        DeputyScore.objects.filter(deputyship=deputyship, year=year)
        .values_list("total", "grade")
        .first()
    )
    years = sorted(
        set(
            DutyTally.objects.filter(deputyship=deputyship)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
        | {year},
        reverse=True,
    )
    return PublicProfile(
        deputyship=deputyship,
        year=year,
        fields=fields,
        status=deputyship.status,
        status_label=str(deputyship.get_status_display()),
        status_since=deputyship.status_since,
        values=_values(deputyship, fields),
        groups=groups,
        expertise=expertise,
        has_photo="photo" in fields and bool(person.photo),
        counts=counts,
        total=total,
        duties=duties,
        score=(score_row[0], score_row[1]) if score_row else None,
        years=years,
    )


# --- citizens' messages -----------------------------------------------------------------------
def own_deputyships(user: Any) -> QuerySet[Deputyship]:
    """The person's deputyships (newest term first)."""
    return (
        Deputyship.objects.filter(person__user=user)
        .select_related("person", "congress", "term")
        .order_by("-term__start_date", "congress__division_code")
    )


def unread_messages_count(user: Any) -> int:
    return CitizenMessage.objects.filter(
        deputyship__person__user=user, read_at__isnull=True
    ).count()


# --- work plans (DEP-PLAN) --------------------------------------------------------------------
def published_plans(congress: Any = None) -> QuerySet[WorkPlan]:
    qs = WorkPlan.objects.filter(published_at__isnull=False)
    if congress is not None:
        qs = qs.filter(congress=congress)
    return qs


def with_superseded(plans: list[WorkPlan]) -> list[WorkPlan]:
    """Mark each published plan superseded when a later published version of its year exists."""
    newest: dict[tuple[int, int], int] = {}
    for p in plans:
        if p.published_at is not None:
            key = (p.congress_id, p.year)
            newest[key] = max(newest.get(key, 0), p.version)
    for p in plans:
        p.superseded = p.published_at is not None and p.version < newest[(p.congress_id, p.year)]
    return plans


def current_plan(congress: Any) -> WorkPlan | None:
    """The plan in force: the latest version of the latest published year."""
    return published_plans(congress).order_by("-year", "-version").first()


# --- home panels: one query each ------------------------------------------------------------
def deputy_home_rows(user: Any) -> list[Deputyship]:
    """The deputy's active deputyships, each with the citizens' opinions addressed to them still
    waiting for a first look (`waiting`: received, passed up, reopened), those they follow up
    (`following`: state with_deputy) and their congress's current plan — ONE query (the home
    page is performance-critical). Indexes: opinion_deputy_idx (deputy, state) and the follow-up
    deputy's foreign key."""
    from renda.opinions.actions.handling import TO_TRIAGE
    from renda.opinions.choices import OpinionState
    from renda.opinions.models import Opinion

    def count(**where: Any) -> Any:
        rows = Opinion.objects.filter(**where).order_by().values("congress_id")
        return Subquery(rows.annotate(n=Count("id")).values("n")[:1])

    plan = published_plans().filter(congress=OuterRef("congress_id")).order_by("-year", "-version")
    return list(
        Deputyship.objects.filter(person__user=user)
        .exclude(status=DeputyshipStatus.ENDED)
        .annotate(
            waiting=count(deputy=OuterRef("pk"), state__in=TO_TRIAGE),
            following=count(follow_up_deputy=OuterRef("pk"), state=OpinionState.WITH_DEPUTY),
            plan_id=Subquery(plan.values("pk")[:1]),
            plan_title=Subquery(plan.values("title")[:1]),
            plan_year=Subquery(plan.values("year")[:1]),
            congress_name=F("congress__name"),
        )
        .only("id", "congress_id", "status")
        .order_by("-term__start_date", "id")
    )

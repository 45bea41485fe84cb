"""Importing the official roster (代表名册): all rows or none, in one transaction, audited.

The office first sees the report (`preview_roster`, writes nothing); `import_roster` reads the
same file again, checks every row again against the registry as it is now (never trusting an
earlier report), and refuses the whole file while any row has an error. Then every person and
deputyship is written through the registry actions (upsert_people, upsert_deputyships), with
one audit event per deputyship created or changed and one "roster.imported" event with the
counts."""

from __future__ import annotations

from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from renda.audit.actions import record_event, record_events
from renda.errors import DomainError, InvalidInput, require
from renda.orgs.models import Congress, Term

from ..permissions import can_manage_deputies
from ..roster import RosterRefused, RosterReport, check_roster
from .registry import SeatIn, upsert_deputyships, upsert_people


class RosterHasErrors(InvalidInput):
    """The roster has rows with errors: nothing was imported (the report says which)."""

    def __init__(self, report: RosterReport) -> None:
        super().__init__(
            _(
                "Nothing was imported: %(n)d rows have errors. Correct them in the file and "
                "upload it again."
            )
            % {"n": report.error_rows},
            code="roster_has_errors",
        )
        self.report = report


def _check_place(congress: Congress, term: Term, by: Any) -> None:
    require(
        can_manage_deputies(by, congress),
        _("Only the congress's deputy-affairs office imports its roster."),
    )
    if term.congress_id != congress.pk:
        raise InvalidInput(_("That term belongs to another congress."), code="term")


def _checked(fh: IO[bytes], congress: Congress, term: Term) -> RosterReport:
    try:
        return check_roster(fh, congress=congress, term=term)
    except RosterRefused as exc:
        raise InvalidInput(str(exc), code="roster_file") from None


def preview_roster(fh: IO[bytes], *, congress: Congress, term: Term, by: Any) -> RosterReport:
    """The report of what importing the file would do (a dry run: nothing is written)."""
    _check_place(congress, term, by)
    return _checked(fh, congress, term)


@transaction.atomic
def import_roster(
    fh: IO[bytes], *, congress: Congress, term: Term, by: Any, filename: str = ""
) -> RosterReport:
    """Import the roster: every row checked again now, then all of it or nothing."""
    _check_place(congress, term, by)
    # One import per term at a time: the second waits, then checks against the first's rows.
    term = Term.objects.select_for_update().get(pk=term.pk)
    report = _checked(fh, congress, term)
    if not report.ok:
        raise RosterHasErrors(report)
    try:
        with transaction.atomic():
            # One event per deputyship (naming the new account and its deputy role), not three.
            people = upsert_people([e.clean for e in report.entries], by=by, account_events=False)
            seats = [
                SeatIn(person=person, electoral_unit=e.electoral_unit, delegation=e.delegation)
                for e, (person, _created, _changed) in zip(report.entries, people, strict=True)
            ]
            upsert_deputyships(seats, congress=congress, term=term, by=by, account_events=False)
    except IntegrityError:
        # A person with one of these ID-card numbers was registered meanwhile by someone else.
        raise DomainError(
            _("The registry changed while the roster was being imported; upload it again."),
            code="conflict",
        ) from None
    record_events(
        [
            (person, "person.updated", {"fields": sorted(changed)})
            for person, created, changed in people
            if changed
        ],
        by=by,
    )
    record_event(
        term,
        "roster.imported",
        by=by,
        data={
            "congress": congress.pk,
            "file": filename[:200],
            "rows": len(report.rows),
            "created": report.created,
            "updated": report.updated,
            "accounts_created": sum(1 for _p, created, _c in people if created),
        },
    )
    return report

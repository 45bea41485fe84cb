"""The roster import's pages: upload → the per-row report (nothing written) → confirm (the kept
file is read and checked again, then imported all or nothing) — and the template download.

Between the report and the confirmation the file is kept server-side in the default storage
under a random name (never trusted from the browser): the session remembers which name belongs
to which office user and term. A file with errors cannot be confirmed: the office corrects it
and uploads it again. Kept files are removed after the import, and any left behind after a day.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renda.accounts.permissions import office_congress_ids
from renda.errors import DomainError
from renda.orgs.models import Term
from renda.suggestions.uploads import was_oversized

from .actions.roster import RosterHasErrors, import_roster, preview_roster
from .forms_registry import ImportForm
from .permissions import can_manage_deputies, can_use_registry
from .registry_export import template_file
from .roster import RosterReport
from .roster_files import max_bytes, max_mb

UPLOADS = "deputies/roster-uploads"
SESSION_KEY = "renda_roster_uploads"
KEEP = timedelta(days=1)
SHOWN_OK_ROWS = 500
KEPT_PER_SESSION = 3


def _sweep() -> None:
    """Remove kept roster files older than a day (an office that never confirmed)."""
    try:
        _dirs, files = default_storage.listdir(UPLOADS)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - KEEP
    for name in files:
        path = f"{UPLOADS}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


def _keep(upload: Any) -> str:
    token = secrets.token_urlsafe(24)
    default_storage.save(f"{UPLOADS}/{token}", upload)
    return token


def _forget(request: HttpRequest, token: str) -> None:
    kept = request.session.get(SESSION_KEY, {})
    kept.pop(token, None)
    request.session[SESSION_KEY] = kept
    default_storage.delete(f"{UPLOADS}/{token}")


def _report_page(
    request: HttpRequest, term: Term, report: RosterReport, token: str, name: str
) -> HttpResponse:
    bad = [r for r in report.rows if not r.ok]
    good = [r for r in report.rows if r.ok]
    return render(
        request,
        "deputies/registry/import_report.html",
        {
            "term": term,
            "report": report,
            "token": token if report.ok else "",
            "file_name": name,
            "bad_rows": bad,
            "good_rows": good[:SHOWN_OK_ROWS],
            "more_good": max(0, len(good) - SHOWN_OK_ROWS),
            "form": ImportForm(
                initial={"term": term.pk}, congress_ids=office_congress_ids(request.user)
            ),
        },
    )


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload the roster and see the report of every row (nothing is written yet)."""
    if not can_use_registry(request.user):
        raise Http404
    offices = office_congress_ids(request.user)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        congress_ids=offices,
    )
    if request.method == "POST":
        if was_oversized(request, "file"):
            form.add_error("file", _("The file is larger than %(mb)s MB.") % {"mb": max_mb()})
        elif form.is_valid():
            term = form.cleaned_data["term"]
            upload = form.cleaned_data["file"]
            if upload.size > max_bytes():
                form.add_error("file", _("The file is larger than %(mb)s MB.") % {"mb": max_mb()})
            else:
                try:
                    report = preview_roster(
                        upload, congress=term.congress, term=term, by=request.user
                    )
                except DomainError as exc:
                    form.add_error("file", exc.detail)
                else:
                    token = ""
                    if report.ok:
                        _sweep()
                        upload.seek(0)
                        token = _keep(upload)
                        kept = request.session.get(SESSION_KEY, {})
                        kept[token] = {"term": term.pk, "name": upload.name[:200]}
                        for old in list(kept)[:-KEPT_PER_SESSION]:  # only the latest few
                            kept.pop(old)
                            default_storage.delete(f"{UPLOADS}/{old}")
                        request.session[SESSION_KEY] = kept
                    return _report_page(request, term, report, token, upload.name)
    return render(request, "deputies/registry/import.html", {"form": form})


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the kept file: read and checked again now, then all rows or none."""
    if not can_use_registry(request.user):
        raise Http404
    token = request.POST.get("token", "")[:64]
    kept = request.session.get(SESSION_KEY, {}).get(token)
    if not token or kept is None or not default_storage.exists(f"{UPLOADS}/{token}"):
        messages.error(request, _("That upload is no longer kept: upload the file again."))
        return redirect("deputies:import")
    term = Term.objects.select_related("congress").filter(pk=kept["term"]).first()
    if term is None or not can_manage_deputies(request.user, term.congress_id):
        raise Http404
    try:
        with default_storage.open(f"{UPLOADS}/{token}", "rb") as fh:
            report = import_roster(
                fh, congress=term.congress, term=term, by=request.user, filename=kept["name"]
            )
    except RosterHasErrors as exc:
        _forget(request, token)
        messages.error(request, exc.detail)
        return _report_page(request, term, exc.report, "", kept["name"])
    except DomainError as exc:
        _forget(request, token)
        messages.error(request, exc.detail)
        return redirect("deputies:import")
    _forget(request, token)
    messages.success(
        request,
        _("The roster was imported: %(created)d deputies added, %(updated)d updated.")
        % {"created": report.created, "updated": report.updated},
    )
    return redirect(reverse("deputies:registry") + f"?term={term.pk}")


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    if not can_use_registry(request.user):
        raise Http404
    return FileResponse(template_file(), as_attachment=True, filename="roster-template.xlsx")

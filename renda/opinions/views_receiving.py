"""Pages of the receiving part.

Public (no sign-in; urls_public.py): the citizen's opinion form (also opened from a station's
code, 联络站码, with the station chosen), the tracking page with the rating, the stations' list
and each station's page. Staff (urls_receiving.py, under /opinions/): recording a visit or a
call, and the station's code to print.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renda.audit.addresses import client_address
from renda.deputies.codes import qr_for, qr_png, qr_svg
from renda.deputies.permissions import valid_pk
from renda.deputies.ratelimits import Verdict
from renda.errors import DomainError

from . import limits
from .actions.receiving import (
    clean_phone,
    get_by_tracking_code,
    phone_key,
    rate_opinion,
    submit_opinion,
)
from .choices import Channel
from .forms_receiving import OpinionForm, RatingForm, RecordForm, TrackForm
from .images import clean_image
from .models import Opinion, OpinionImage, Station
from .permissions_receiving import can_print_code, can_see_contact, stations_for_recording
from .queries_receiving import (
    get_public_station,
    public_stations,
    published_opinions,
    station_row,
    tracking_view,
)

STATION_PAGE = 30


def _too_many(request: HttpRequest, verdict: Verdict, what: str) -> HttpResponse:
    response = render(
        request,
        "opinions/public/too_many.html",
        {
            "what": what,
            "retry_at": timezone.localtime(verdict.retry_at) if verdict.retry_at else None,
            "minutes": max(1, round(verdict.retry_after_seconds / 60)),
        },
        status=429,
    )
    response["Retry-After"] = str(verdict.retry_after_seconds)
    return response


def public_url(request: HttpRequest, path: str) -> str:
    """An address for the public (RENDA_PUBLIC_URL when set, else this request's)."""
    base = getattr(settings, "RENDA_PUBLIC_URL", "")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def _images(request: HttpRequest, form: Any) -> list[Any] | None:
    """The photos checked by content and re-encoded; None (and a form error) when one fails."""
    out = []
    for f in form.cleaned_data.get("photos") or []:
        try:
            out.append(clean_image(f, f.name))
        except DomainError as err:
            form.add_error("photos", err.detail)
            return None
    return out


def _submit_page(request: HttpRequest, station: Station | None) -> HttpResponse:
    """The public form; on POST: honeypot, limits (address and phone), photos, the action."""
    form = OpinionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        address = client_address(request)
        raw_phone = "" if request.POST.get("anonymous") else request.POST.get("phone", "")
        try:
            phone = phone_key(clean_phone(raw_phone))
        except DomainError:
            phone = ""  # the form says what is wrong with it
        verdict = limits.check_submit(address, phone)
        if not verdict.allowed:
            return _too_many(request, verdict, "submit")
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:  # a bot filled the honeypot: a page that looks done, nothing kept
                limits.count_submit(address, phone)
                return render(request, "opinions/public/sent_decoy.html")
            images = _images(request, form)
            if images is not None:
                try:
                    opinion = submit_opinion(
                        station=station,
                        category=data["category"],
                        text=data["text"],
                        location=data["location"],
                        name=data["name"],
                        phone=data["phone"],
                        anonymous=data["anonymous"],
                        publish_consent=data["publish_consent"],
                        channel=Channel.STATION_CODE if station else Channel.ONLINE,
                        images=images,
                    )
                except DomainError as err:
                    form.add_error(None, err.detail)
                else:
                    limits.count_submit(address, phone)
                    url = reverse("opinion_public:track", args=[opinion.tracking_code])
                    return redirect(f"{url}?sent=1")
        status = 422
    return render(
        request,
        "opinions/public/form.html",
        {"form": form, "station": station},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def opinion_form(request: HttpRequest) -> HttpResponse:
    """The public opinion form, no station chosen (the congress's own queue)."""
    return _submit_page(request, None)


@require_http_methods(["GET", "POST"])
def station_form(request: HttpRequest, code: str) -> HttpResponse:
    """What a station's code (联络站码) opens: the form with that station chosen."""
    station = get_public_station(code)
    if station is None:
        raise Http404
    return _submit_page(request, station)


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    """Type the tracking code; go to its page."""
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("opinion_public:track", code=form.cleaned_data["code"].strip())
    return render(request, "opinions/public/track_lookup.html", {"form": form})


def _tracking_page(
    request: HttpRequest, opinion: Opinion, rating_form: RatingForm, status: int = 200
) -> HttpResponse:
    link = public_url(request, reverse("opinion_public:track", args=[opinion.tracking_code]))
    return render(
        request,
        "opinions/public/track.html",
        {
            "t": tracking_view(opinion),
            "code": opinion.tracking_code,
            "link": link,
            "sent": request.GET.get("sent") == "1",
            "rating_form": rating_form,
        },
        status=status,
    )


def _find(request: HttpRequest, code: str) -> Opinion | HttpResponse:
    verdict = limits.hit_track(client_address(request))
    if not verdict.allowed:
        return _too_many(request, verdict, "track")
    try:
        return get_by_tracking_code(code)
    except DomainError:
        raise Http404 from None


@require_GET
def track(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen's tracking page: state, history, answer — never a name or phone."""
    found = _find(request, code)
    if isinstance(found, HttpResponse):
        return found
    return _tracking_page(request, found, RatingForm())


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    found = _find(request, code)
    if isinstance(found, HttpResponse):
        return found
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rate_opinion(found, rating=form.cleaned_data["rating"])
        except DomainError as err:
            form.add_error(None, err.detail)
        else:
            messages.success(request, _("Thank you: your rating was recorded."))
            return redirect("opinion_public:track", code=found.tracking_code)
    return _tracking_page(request, found, form, status=422)


@require_GET
def station_list(request: HttpRequest) -> HttpResponse:
    """Every open station: address, hours, deputies, the next reception day."""
    page = Paginator(public_stations(), STATION_PAGE).get_page(request.GET.get("page"))
    rows = [station_row(s) for s in page.object_list]
    return render(request, "opinions/public/stations.html", {"page": page, "rows": rows})


@require_GET
def station_page(request: HttpRequest, code: str) -> HttpResponse:
    """A station's public page: hours, deputies, upcoming reception days and recent answered
    opinions published with the citizen's consent (phone and ID numbers masked)."""
    station = get_public_station(code)
    if station is None:
        raise Http404
    return render(
        request,
        "opinions/public/station.html",
        {"s": station_row(station), "published": published_opinions(station)},
    )


# --- staff ------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    """Station staff (or the office) record an opinion from a visit or a call."""
    stations = stations_for_recording(request.user)
    if not stations.exists():
        raise Http404
    form = RecordForm(request.POST or None, request.FILES or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        images = _images(request, form)
        if images is not None:
            try:
                opinion = submit_opinion(
                    station=data["station"],
                    channel=data["channel"],
                    category=data["category"],
                    text=data["text"],
                    location=data["location"],
                    name=data["name"],
                    phone=data["phone"],
                    anonymous=data["anonymous"],
                    publish_consent=data["publish_consent"],
                    images=images,
                    by=request.user,
                )
            except DomainError as err:
                form.add_error(None, err.detail)
            else:
                messages.success(request, _("The opinion was recorded."))
                return redirect("opinions:recorded", pk=opinion.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "opinions/staff/record.html", {"form": form}, status=status)


@login_required
@require_GET
def recorded(request: HttpRequest, pk: int) -> HttpResponse:
    """The opinion just recorded, with the citizen's name and phone (staff and office only) and
    the tracking code to hand to the citizen."""
    opinion = (
        Opinion.objects.select_related("station", "category__parent")
        .filter(pk=valid_pk(pk))
        .first()
    )
    if opinion is None or not can_see_contact(request.user, opinion):
        raise Http404
    link = public_url(request, reverse("opinion_public:track", args=[opinion.tracking_code]))
    return render(request, "opinions/staff/recorded.html", {"o": opinion, "link": link})


@login_required
@require_GET
def image(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo on an opinion, for those who see the citizen's contact (never a public URL)."""
    row = OpinionImage.objects.select_related("opinion__station").filter(pk=valid_pk(pk)).first()
    if row is None or not can_see_contact(request.user, row.opinion):
        raise Http404
    try:
        fh = row.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(fh, content_type=row.content_type)
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _station_for_code(request: HttpRequest, pk: int) -> Station:
    station = Station.objects.select_related("congress").filter(pk=valid_pk(pk)).first()
    if station is None or not can_print_code(request.user, station):
        raise Http404
    return station


def station_code_url(request: HttpRequest, station: Station) -> str:
    return public_url(request, reverse("opinion_public:station_form", args=[station.public_code]))


@login_required
@require_GET
def station_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The station code (联络站码) to print: the QR code of the station's opinion form."""
    station = _station_for_code(request, pk)
    url = station_code_url(request, station)
    # segno writes only <svg>/<path> (no script); the URL is ours, escaped by segno.
    svg = mark_safe(qr_for(url).svg_inline(scale=6, border=4, omitsize=True))  # noqa: S308
    return render(
        request, "opinions/staff/station_code.html", {"station": station, "url": url, "svg": svg}
    )


@login_required
@require_GET
def station_code_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    station = _station_for_code(request, pk)
    url = station_code_url(request, station)
    if kind == "svg":
        response = HttpResponse(qr_svg(url, title=station.name), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr_png(url, caption=station.name), content_type="image/png")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=request.GET.get("download") == "1",
        filename=f"station-code-{station.pk}.{kind}",
    )
    return response

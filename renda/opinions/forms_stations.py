"""Forms of the station registry and reception days (office pages). They only shape the input;
every rule is checked again by the actions (actions/stations.py), whose errors the views show."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.accounts.choices import Role
from renda.accounts.models import User
from renda.deputies.choices import DeputyshipStatus
from renda.deputies.models import Deputyship
from renda.orgs.models import Congress

from .actions.stations import StationData
from .choices import StationKind
from .models import Station


class DeputyChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.person.name


class StaffChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.get_username()


def deputies_of(congress: Congress | int) -> Any:
    return (
        Deputyship.objects.filter(congress=congress, status=DeputyshipStatus.ACTIVE)
        .select_related("person")
        .order_by("person__name", "pk")
    )


def station_staff_of(congress: Congress | int) -> Any:
    return (
        User.objects.filter(
            roles__role=Role.STATION_STAFF, roles__congress=congress, is_active=True
        )
        .distinct()
        .order_by("full_name", "username")
    )


class StationForm(forms.Form):
    congress = forms.ModelChoiceField(label=_("Congress"), queryset=Congress.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=StationKind.choices)
    address = forms.CharField(label=_("Address"), max_length=200)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        help_text=_("For the map, e.g. 28.000000. Leave both blank if unknown."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        max_length=200,
        required=False,
        help_text=_("As the public reads it, e.g. 工作日 9:00–17:00."),
    )
    phone = forms.CharField(
        label=_("Station telephone"),
        max_length=30,
        required=False,
        help_text=_("Published on the station's public page."),
    )
    deputies = DeputyChoice(
        label=_("Resident deputies"),
        queryset=Deputyship.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    staff = StaffChoice(
        label=_("Station staff"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("People with the station-staff role in this congress."),
    )
    active = forms.BooleanField(label=_("Open (shown on the public site)"), required=False)

    def __init__(
        self, *args: Any, congresses: Any, congress: Congress | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        chosen = congress
        if chosen is None and self.is_bound:
            raw = self.data.get("congress")
            chosen = congresses.filter(pk=raw).first() if str(raw or "").isdigit() else None
        if chosen is None:
            chosen = congresses.first()
        if congress is not None:  # editing: the congress does not change
            self.fields["congress"].disabled = True
            self.fields["congress"].initial = congress.pk
        if chosen is not None:
            self.fields["deputies"].queryset = deputies_of(chosen)
            self.fields["staff"].queryset = station_staff_of(chosen)

    @classmethod
    def initial_of(cls, station: Station) -> dict[str, Any]:
        return {
            "congress": station.congress_id,
            **{
                f: getattr(station, f)
                for f in (
                    "name",
                    "kind",
                    "address",
                    "latitude",
                    "longitude",
                    "opening_hours",
                    "phone",
                    "active",
                )
            },
            "deputies": list(station.deputies.values_list("pk", flat=True)),
            "staff": list(station.staff.values_list("pk", flat=True)),
        }

    def data_out(self) -> StationData:
        d = self.cleaned_data
        return StationData(
            name=d["name"],
            kind=d["kind"],
            address=d["address"],
            latitude=d["latitude"],
            longitude=d["longitude"],
            opening_hours=d["opening_hours"],
            phone=d["phone"],
            active=d["active"],
            deputies=d["deputies"],
            staff=d["staff"],
        )


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ReceptionDayForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=LocalDateTimeInput())
    deputies = DeputyChoice(
        label=_("Deputies on duty"),
        queryset=Deputyship.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies_of(station.congress_id)

    def moments(self) -> tuple[datetime, datetime]:
        d = self.cleaned_data
        return timezone.localtime(d["starts_at"]), timezone.localtime(d["ends_at"])


class ReceptionNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

"""Forms of the activities part. They only shape the input; every rule is checked again by the
actions (renda/deputies/actions/activities.py, manual_duties.py), whose errors the views show."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.orgs.models import Session

from .actions.activities import NOTE_MAX, PLACE_MAX, REASON_MAX, TITLE_MAX, ActivityIn, Invitees
from .choices import DutyKind
from .models import TEXT_MAX, Activity, Delegation, DeputyGroup
from .permissions_activities import MANUAL_KINDS


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _moment_field(label: Any, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, widget=LocalDateTimeInput(), help_text=help_text
    )


class ActivityForm(forms.Form):
    """An activity's details (create and edit)."""

    kind = forms.ChoiceField(label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    location = forms.CharField(label=_("Place"), max_length=PLACE_MAX, required=False)
    starts_at = _moment_field(_("Starts"))
    ends_at = _moment_field(_("Ends"))
    checkin_opens_at = _moment_field(
        _("Check-in opens"), False, _("Leave blank: 30 minutes before the start.")
    )
    checkin_closes_at = _moment_field(
        _("Check-in closes"), False, _("Leave blank: when the activity ends.")
    )
    session = forms.ModelChoiceField(
        label=_("Plenary session"),
        queryset=Session.objects.none(),
        required=False,
        help_text=_(
            "For an activity of kind “attending a session” only. Leave blank: the session whose "
            "dates cover the start."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, congress: Any, kinds: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, DutyKind(k).label) for k in kinds]
        self.fields["session"].queryset = Session.objects.filter(
            term__congress=congress
        ).select_related("term")

    def activity_in(self) -> ActivityIn:
        d = self.cleaned_data
        return ActivityIn(
            kind=d["kind"],
            title=d["title"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            location=d["location"],
            description=d["description"],
            checkin_opens_at=d["checkin_opens_at"],
            checkin_closes_at=d["checkin_closes_at"],
            session=d["session"],
        )

    @staticmethod
    def initial_from(activity: Activity) -> dict[str, Any]:
        return {
            "kind": activity.kind,
            "title": activity.title,
            "location": activity.location,
            "starts_at": timezone.localtime(activity.starts_at),
            "ends_at": timezone.localtime(activity.ends_at),
            "checkin_opens_at": timezone.localtime(activity.checkin_opens_at),
            "checkin_closes_at": timezone.localtime(activity.checkin_closes_at),
            "session": activity.session_id,
            "description": activity.description,
        }


INVITE_CHOICES = [
    ("all", _("All active deputies of the congress")),
    ("delegation", _("A delegation")),
    ("group", _("A deputy group or professional group")),
    ("picked", _("Deputies I pick")),
    ("none", _("Nobody for now (open to every deputy of the congress)")),
]


class InviteForm(forms.Form):
    """Who is invited: all, a delegation, a group, or picked deputies (htmx search)."""

    invite = forms.ChoiceField(
        label=_("Invite"), choices=INVITE_CHOICES, widget=forms.RadioSelect, initial="all"
    )
    delegation = forms.ModelChoiceField(
        label=_("Delegation"), queryset=Delegation.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=DeputyGroup.objects.none(), required=False
    )
    deputies = forms.TypedMultipleChoiceField(
        label=_("Deputies"), coerce=int, required=False, choices=()
    )

    def __init__(self, *args: Any, congress: Any, with_none: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        delegations = Delegation.objects.filter(congress=congress)
        groups = DeputyGroup.objects.filter(congress=congress)
        self.fields["delegation"].queryset = delegations
        self.fields["group"].queryset = groups
        # Offer only what the congress has (a registry without delegations shows no empty list).
        hidden = set() if with_none else {"none"}
        if not delegations.exists():
            hidden.add("delegation")
            del self.fields["delegation"]
        if not groups.exists():
            hidden.add("group")
            del self.fields["group"]
        self.fields["invite"].choices = [c for c in INVITE_CHOICES if c[0] not in hidden]
        # The picked ids come from the search; the action checks them against the congress.
        picked = self.data.getlist("deputies") if hasattr(self.data, "getlist") else []
        self.fields["deputies"].choices = [(v, v) for v in picked if v.isdigit() and len(v) < 19]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode = data.get("invite")
        needed = {"delegation": "delegation", "group": "group", "picked": "deputies"}.get(
            mode or ""
        )
        if needed and not data.get(needed):
            self.add_error(needed, _("Choose whom to invite."))
        return data

    def invitees(self) -> Invitees:
        d = self.cleaned_data
        mode = d["invite"]
        return Invitees(
            all_deputies=mode == "all",
            delegations=[d["delegation"].pk] if mode == "delegation" else [],
            groups=[d["group"].pk] if mode == "group" else [],
            deputies=list(d["deputies"]) if mode == "picked" else [],
        )

    def picked_ids(self) -> list[str]:
        return [str(v) for v, _label in self.fields["deputies"].choices]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteReasonForm(forms.Form):
    """Cancel an activity, remove a record: a short reason."""

    reason = forms.CharField(label=_("Reason"), max_length=NOTE_MAX)


class DecideLeaveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note to the deputy"), max_length=NOTE_MAX, required=False)


class DutyRecordForm(forms.Form):
    """A duty entered by hand: the deputy is picked with the search (a radio named `deputy`)."""

    deputy = forms.TypedChoiceField(label=_("Deputy"), coerce=int, choices=())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k, DutyKind(k).label) for k in MANUAL_KINDS]
    )
    occurred_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    note = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        value = self.data.get("deputy", "") if self.data else ""
        if isinstance(value, str) and value.isdigit() and len(value) < 19:
            self.fields["deputy"].choices = [(value, value)]

"""Forms of the receiving part: the citizen's opinion (public, phone-first), the staff's record
of a visit or a call, the tracking-code look-up and the rating. They parse input only; the
actions check the rules (renda.opinions.actions.receiving)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions.receiving import LOCATION_MAX, PHONE_MAX
from .choices import Channel, Rating
from .images import max_count
from .models import NAME_MAX, TEXT_MAX, Station
from .queries_receiving import category_choices


def _no_nul(value: str) -> str:
    if "\x00" in (value or ""):
        raise forms.ValidationError(_("Remove the control characters."), code="nul")
    return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; each is checked by content in the view (images.py)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > max_count():
            raise forms.ValidationError(
                _("At most %(n)d photos.") % {"n": max_count()}, code="too_many"
            )
        return [super(PhotosField, self).clean(f, initial) for f in files]


class OpinionForm(forms.Form):
    """A citizen's opinion (no account). `website` is a honeypot: people never see it (hidden,
    skipped by the keyboard and screen readers); bots fill it."""

    category = forms.TypedChoiceField(label=_("What is it about?"), coerce=int)
    text = forms.CharField(
        label=_("Your opinion"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX}),
        help_text=_("What happened, where and since when. At most %(n)d characters.")
        % {"n": TEXT_MAX},
    )
    location = forms.CharField(
        label=_("Where (optional)"),
        max_length=LOCATION_MAX,
        required=False,
        help_text=_("A street, a housing estate, a bus stop…"),
    )
    photos = PhotosField(
        label=_("Photos (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    anonymous = forms.BooleanField(
        label=_("Stay anonymous (leave no name or phone)"), required=False
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=NAME_MAX, required=False)
    phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=PHONE_MAX,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Only the station's staff see your name and phone, to call you back."),
    )
    publish_consent = forms.BooleanField(
        label=_("The answer may be published on the station's page (never your name or phone)"),
        required=False,
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose…")), *category_choices()]

    def clean_text(self) -> str:
        return _no_nul(self.cleaned_data["text"])

    def clean_location(self) -> str:
        return _no_nul(self.cleaned_data["location"])

    def clean_name(self) -> str:
        return _no_nul(self.cleaned_data["name"])

    def clean_phone(self) -> str:
        return _no_nul(self.cleaned_data["phone"])


class RecordForm(OpinionForm):
    """Station staff record an opinion from a visit or a call (no honeypot, a station and a
    channel to choose)."""

    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.none())
    channel = forms.ChoiceField(
        label=_("How it came"),
        choices=[(c.value, c.label) for c in (Channel.VISIT, Channel.CALL, Channel.RECEPTION)],
    )
    field_order = ["station", "channel", "category", "text", "location", "name", "phone"]

    def __init__(self, *args: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["station"].queryset = stations
        self.fields["name"].label = _("Citizen's name")
        self.fields["phone"].label = _("Citizen's phone")
        self.fields["phone"].help_text = ""
        self.fields["anonymous"].label = _("The citizen stays anonymous")
        self.fields["publish_consent"].label = _("The citizen agrees to publication")
        if stations.count() == 1:
            self.fields["station"].initial = stations.first()


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )

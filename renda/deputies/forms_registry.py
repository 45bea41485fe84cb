"""Forms of the registry's pages. They only shape the input; the actions check every rule again
(renda/deputies/actions/registry.py, registry_groups.py, roster.py) and their errors are shown
as form errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from renda.orgs.models import Congress, Term

from .actions.registry import PersonIn
from .choices import DeputyshipStatus, EndGround, Gender, GroupKind, Party, Sector, SuspendGround
from .models import PUBLISHABLE_FIELDS, Delegation, DeputyGroup, Deputyship, ExpertiseTag
from .queries_registry import delegations_of, groups_of, terms_of

SEARCH_MAX = 50


def term_label(term: Term) -> str:
    return gettext("%(congress)s, term %(n)s") % {"congress": term.congress.name, "n": term.number}


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise forms.ValidationError(_("Remove the control characters."), code="nul")
    return value


def _tags(text: str) -> list[str]:
    """Tags typed as 教育, 医疗 or 教育、医疗 (either comma, the enumeration comma, or spaces)."""
    for sep in ("，", "、", ";", "；"):
        text = text.replace(sep, ",")
    return [t.strip() for t in text.split(",") if t.strip()]


class FilterForm(forms.Form):
    """The list's filters; choices limited to what the user's office manages."""

    q = forms.CharField(label=_("Name or workplace"), required=False, max_length=SEARCH_MAX)
    congress = forms.ModelChoiceField(
        label=_("Congress"), queryset=Congress.objects.none(), required=False
    )
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), required=False)
    delegation = forms.ModelChoiceField(
        label=_("Delegation"), queryset=Delegation.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=DeputyGroup.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *DeputyshipStatus.choices],
    )
    tag = forms.ModelChoiceField(
        label=_("Expertise"), queryset=ExpertiseTag.objects.all(), required=False
    )

    def __init__(self, *args: Any, congress_ids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["congress"].queryset = (
            Congress.objects.order_by("level", "name")
            if congress_ids is None
            else Congress.objects.filter(pk__in=congress_ids).order_by("level", "name")
        )
        fields["term"].queryset = terms_of(congress_ids)
        fields["term"].label_from_instance = term_label
        fields["delegation"].queryset = delegations_of(congress_ids)
        fields["group"].queryset = groups_of(congress_ids)
        for name in ("congress", "term", "delegation", "group", "tag"):
            fields[name].empty_label = _("All")

    def clean_q(self) -> str:
        return _no_nul(self.cleaned_data.get("q") or "").strip()


class PersonForm(forms.Form):
    """The office's edit of a deputy's personal and seat details."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(label=_("ID-card number"), max_length=30)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("From the ID-card number")), *Gender.choices]
    )
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, required=False)
    party = forms.ChoiceField(
        label=_("Political affiliation"), choices=[("", "—"), *Party.choices], required=False
    )
    workplace = forms.CharField(label=_("Workplace and post"), max_length=200, required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False
    )
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    expertise = forms.CharField(
        label=_("Expertise"),
        max_length=500,
        required=False,
        help_text=_("Tags separated by commas, e.g. 教育, 医疗卫生"),
    )
    electoral_unit = forms.CharField(label=_("Electoral unit or constituency"), max_length=100)
    delegation = forms.ModelChoiceField(
        label=_("Delegation"), queryset=Delegation.objects.none(), required=False
    )

    def __init__(self, *args: Any, deputyship: Deputyship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gender"].required = False
        self.fields["delegation"].queryset = Delegation.objects.filter(
            term_id=deputyship.term_id
        ).order_by("name")

    @staticmethod
    def initial_for(deputyship: Deputyship) -> dict[str, Any]:
        person = deputyship.person
        return {
            "name": person.name,
            "id_number": person.id_number or "",
            "gender": person.gender,
            "ethnicity": person.ethnicity,
            "party": person.party,
            "workplace": person.workplace,
            "sector": person.sector,
            "phone": person.user.phone,
            "address": person.address,
            "expertise": ", ".join(t.name for t in person.expertise.all()),
            "electoral_unit": deputyship.electoral_unit,
            "delegation": deputyship.delegation_id,
        }

    def person_in(self) -> PersonIn:
        d = self.cleaned_data
        return PersonIn(
            name=_no_nul(d["name"]),
            id_number=d["id_number"],
            gender=d["gender"],
            ethnicity=_no_nul(d["ethnicity"]),
            party=d["party"],
            workplace=_no_nul(d["workplace"]),
            sector=d["sector"],
            address=_no_nul(d["address"]),
            phone=d["phone"],
            expertise=_tags(_no_nul(d["expertise"])),
        )


class OwnDetailsForm(forms.Form):
    """What a deputy keeps up to date themselves ("My deputy record")."""

    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    expertise = forms.CharField(
        label=_("Expertise"),
        max_length=500,
        required=False,
        help_text=_("Tags separated by commas, e.g. 教育, 医疗卫生"),
    )

    def tags(self) -> list[str]:
        return _tags(_no_nul(self.cleaned_data["expertise"]))


def _today() -> Any:
    return timezone.localdate()


class SuspendForm(forms.Form):
    """DEP-SUSPEND."""

    ground = forms.ChoiceField(label=_("Ground"), choices=SuspendGround.choices)
    on = forms.DateField(
        label=_("Since"), initial=_today, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ResumeForm(forms.Form):
    on = forms.DateField(
        label=_("Duties resume on"), initial=_today, widget=forms.DateInput(attrs={"type": "date"})
    )


class EndForm(forms.Form):
    """DEP-TERMINATE: the legal ground and the date, and a deliberate confirmation."""

    ground = forms.ChoiceField(label=_("Ground"), choices=[("", "—"), *EndGround.choices])
    on = forms.DateField(
        label=_("Ended on"), initial=_today, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note (e.g. the decision's number)"), max_length=500, required=False
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this deputyship has ended. This cannot be undone here."),
    )


PUBLIC_FIELD_LABELS = {
    "photo": _("Photo"),
    "gender": _("Gender"),
    "ethnicity": _("Ethnicity"),
    "party": _("Political affiliation"),
    "workplace": _("Workplace and post"),
    "electoral_unit": _("Electoral unit or constituency"),
    "delegation": _("Delegation"),
    "groups": _("Groups"),
    "sector": _("Sector"),
    "expertise": _("Expertise"),
}


class PublicFieldsForm(forms.Form):
    """DEP-PUBLIC: only publishable fields are offered; personal data never is."""

    fields_ = forms.MultipleChoiceField(
        label=_("Published on the deputy's public profile"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(f, PUBLIC_FIELD_LABELS[f]) for f in PUBLISHABLE_FIELDS],
    )


class ImportForm(forms.Form):
    """The roster file and where it goes (the congress's term)."""

    term = forms.ModelChoiceField(label=_("Congress and term"), queryset=Term.objects.none())
    file = forms.FileField(
        label=_("Roster file (.xlsx or .csv)"),
        help_text=_("The official roster, with the columns of the template."),
    )

    def __init__(self, *args: Any, congress_ids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms_of(congress_ids)
        self.fields["term"].label_from_instance = term_label
        if "term" not in self.initial:  # the newest term: what an office imports into
            self.initial["term"] = self.fields["term"].queryset.values_list("pk", flat=True).first()


class DelegationForm(forms.Form):
    term = forms.ModelChoiceField(label=_("Congress and term"), queryset=Term.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args: Any, congress_ids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms_of(congress_ids)
        self.fields["term"].label_from_instance = term_label


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class GroupForm(forms.Form):
    congress = forms.ModelChoiceField(label=_("Congress"), queryset=Congress.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices)

    def __init__(self, *args: Any, congress_ids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = (
            Congress.objects.order_by("level", "name")
            if congress_ids is None
            else Congress.objects.filter(pk__in=congress_ids).order_by("level", "name")
        )


class GroupEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices)


class TagForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=30)

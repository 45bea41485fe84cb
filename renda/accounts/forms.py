from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from renda.orgs.models import Congress, HandlingUnit

from .choices import Role


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=4096,
        help_text=_("At least 10 characters; not only digits; not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New password, again"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class OtpForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the six digits your app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


# --- Account administration (administrators only) ------------------------------------------


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Username, name, email or phone")}
        ),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices]
    )
    pending = forms.BooleanField(
        label=_("Only accounts still on their initial password"), required=False
    )


class _NewPasswordMixin(forms.Form):
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        max_length=4096,
        help_text=_(
            "Tell the person this password; they must choose their own at their next sign-in."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Initial password, again"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class UserCreateForm(_NewPasswordMixin):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(label=_("Mobile phone"), required=False, max_length=20)

    field_order = ["username", "full_name", "email", "phone", "password", "password_again"]


class InitialPasswordForm(_NewPasswordMixin):
    pass


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    congress = forms.ModelChoiceField(
        label=_("Congress"), queryset=Congress.objects.all(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Handling unit"),
        queryset=HandlingUnit.objects.select_related("congress").order_by("congress", "name"),
        required=False,
        help_text=_("Required for handling-unit clerks and heads."),
    )


class SecurityPolicyForm(forms.Form):
    """One checkbox per role: require two-factor sign-in."""

    def __init__(self, *args: Any, table: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in table:
            self.fields[f"role_{row['role']}"] = forms.BooleanField(
                label=row["label"], required=False, initial=row["require_two_factor"]
            )

    def wanted(self) -> dict[str, bool]:
        return {
            name.removeprefix("role_"): bool(value) for name, value in self.cleaned_data.items()
        }

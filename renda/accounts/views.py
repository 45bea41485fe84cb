"""Sign-in, sign-out, password change and two-factor set-up: thin views over actions."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from renda.errors import DomainError

from . import actions
from .forms import OtpForm, PasswordChangeForm, SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        actions.record_sign_in(form.get_user(), second_factor=False)
        return response


class SignOutView(auth_views.LogoutView):
    pass


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.change_password(
                request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect("home:home")
    return render(request, "accounts/password_change.html", {"form": form})


def _pending_device(user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    device = _pending_device(request.user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            actions.confirm_totp_device(request.user, device)
            otp_login(request, device)
            request.session.pop("renda_gate_ok", None)
            messages.success(request, _("Two-factor sign-in is on for your account."))
            return redirect("home:home")
        form.add_error(
            "token", _("That code is not right. Check the time on your phone and try again.")
        )
    secret = device.bin_key.hex()
    import base64

    b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "secret": b32, "hex_secret": secret},
    )


@login_required
def otp_qr(request: HttpRequest) -> HttpResponse:
    device = _pending_device(request.user)
    qr = segno.make(device.config_url, error="m")
    return HttpResponse(
        qr.svg_inline(scale=5, title=_("Scan with your authenticator app")),
        content_type="image/svg+xml",
        headers={"Cache-Control": "no-store"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            actions.record_sign_in(request.user, second_factor=True)
            return redirect(request.GET.get("next") or "home:home")
        form.add_error(
            "token", _("That code is not right. Check the time on your phone and try again.")
        )
    return render(request, "accounts/otp_verify.html", {"form": form})

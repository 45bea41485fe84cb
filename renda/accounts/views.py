"""Sign-in, sign-out, password change and two-factor set-up: thin views over actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from renda.errors import DomainError

from . import actions
from .forms import OtpForm, PasswordChangeForm, SignInForm
from .gate import forget_gate_check
from .two_factor import has_two_factor_device, manual_key, pending_device, provisioning_svg
from .two_factor import verify_code as verify_second_factor


def allowed_next(request: HttpRequest) -> str:
    """The `next` parameter when it stays on this site (no open redirect), else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def safe_next(request: HttpRequest, default: str = "home:home") -> str:
    """Where to go after this step: an allowed `next`, or the default page."""
    return allowed_next(request) or resolve_url(default)


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
            return redirect(safe_next(request))
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator. Never offered to someone who already has one (see gate.py)."""
    if has_two_factor_device(request.user):
        messages.info(request, _("Two-factor sign-in is already on for your account."))
        return redirect("home:home")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = actions.confirm_two_factor(request.user, code=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token", exc.detail)
        else:
            request.session.cycle_key()
            otp_login(request, device)
            forget_gate_check(request)
            messages.success(request, _("Two-factor sign-in is on for your account."))
            return redirect(safe_next(request))
    device = actions.start_two_factor_setup(request.user)
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "secret": manual_key(device)},
    )


@never_cache
@login_required
def otp_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the authenticator being set up, as SVG made on this server."""
    device = None if has_two_factor_device(request.user) else pending_device(request.user)
    if device is None:
        raise Http404
    svg = provisioning_svg(device, title=_("Scan with your authenticator app"))
    return HttpResponse(svg, content_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second sign-in step for people with an authenticator."""
    if request.user.is_verified() or not has_two_factor_device(request.user):
        return redirect(safe_next(request))
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_second_factor(request.user, form.cleaned_data["token"])
        if device is not None:
            request.session.cycle_key()
            otp_login(request, device)
            actions.record_sign_in(request.user, second_factor=True)
            return redirect(safe_next(request))
        form.add_error(
            "token",
            _(
                "That code is not right, or was already used. Wait for the next code and try "
                "again; after a wrong code the next try must wait a few seconds."
            ),
        )
    return render(request, "accounts/otp_verify.html", {"form": form})

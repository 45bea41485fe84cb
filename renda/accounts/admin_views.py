"""Account administration pages (administrators only; everyone else gets 404): thin over actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from renda.audit.queries import history_of
from renda.errors import DomainError

from . import actions
from .forms import (
    InitialPasswordForm,
    RoleAssignForm,
    SecurityPolicyForm,
    UserCreateForm,
    UserSearchForm,
)
from .permissions import (
    get_assignment_for_admin,
    get_user_for_admin,
    require_account_admin,
    visible_phone,
)
from .queries import is_locked_out, security_policy_table, two_factor_user_ids, users_for_admin
from .two_factor import has_two_factor_device

PAGE_SIZE = 50


def _form_errors(form: object) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)  # type: ignore[attr-defined]


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require_account_admin(request.user)
    search = UserSearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    qs = users_for_admin(
        search=filters.get("q", ""),
        role=filters.get("role", ""),
        pending_password=bool(filters.get("pending")),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    users = list(page.object_list)
    with_2fa = two_factor_user_ids(users)
    rows = [
        {"user": u, "phone": visible_phone(request.user, u), "two_factor": u.pk in with_2fa}
        for u in users
    ]
    return render(
        request, "accounts/admin/user_list.html", {"search": search, "page": page, "rows": rows}
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    require_account_admin(request.user)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.create_user(
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                initial_password=data["password"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(
                request,
                _("Account %(name)s created. They must change the initial password at sign-in.")
                % {"name": user.username},
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/admin/user_create.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_user_for_admin(request.user, pk)
    return render(
        request,
        "accounts/admin/user_detail.html",
        {
            "person": person,
            "phone": visible_phone(request.user, person),
            "assignments": person.roles.select_related("congress", "unit").order_by("pk"),
            "two_factor": has_two_factor_device(person),
            "locked_out": is_locked_out(person),
            "role_form": RoleAssignForm(),
            "password_form": InitialPasswordForm(),
            "history": history_of(person),
        },
    )


@login_required
@require_POST
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_user_for_admin(request.user, pk)
    form = InitialPasswordForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_form_errors(form))
        actions.set_initial_password(
            person, password=form.cleaned_data["password"], by=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request, _("New initial password set; it must be changed at the next sign-in.")
        )
    return redirect("accounts:user_detail", pk=person.pk)


@login_required
@require_POST
def user_role_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_user_for_admin(request.user, pk)
    form = RoleAssignForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_form_errors(form))
        actions.assign_role(person, by=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Role assigned."))
    return redirect("accounts:user_detail", pk=person.pk)


@login_required
@require_POST
def user_role_remove(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    person = get_user_for_admin(request.user, pk)
    assignment = get_assignment_for_admin(request.user, person, assignment_pk)
    try:
        actions.remove_role(assignment, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Role removed."))
    return redirect("accounts:user_detail", pk=person.pk)


@login_required
@require_POST
def user_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_user_for_admin(request.user, pk)
    actions.reset_two_factor(person, by=request.user)
    messages.success(request, _("Two-factor sign-in removed; a new authenticator can be set up."))
    return redirect("accounts:user_detail", pk=person.pk)


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_user_for_admin(request.user, pk)
    actions.unlock_sign_in(person, by=request.user)
    messages.success(request, _("Sign-in for this account is no longer paused."))
    return redirect("accounts:user_detail", pk=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def security_policy(request: HttpRequest) -> HttpResponse:
    require_account_admin(request.user)
    table = security_policy_table()
    form = SecurityPolicyForm(request.POST if request.method == "POST" else None, table=table)
    if request.method == "POST" and form.is_valid():
        for role, wanted in form.wanted().items():
            actions.set_security_policy(role=role, require_two_factor=wanted, by=request.user)
        messages.success(request, _("Security policy saved."))
        return redirect("accounts:security_policy")
    return render(request, "accounts/admin/security_policy.html", {"form": form})

"""Deputy pages of the suggestions app, and the shared suggestion detail page.

Thin: objects come through permissions.py (404 for missing and forbidden alike), lists through
queries.py, every change through actions/ (a DomainError is shown as a form error or a message,
never a 500).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.audit.queries import history_of
from renda.errors import DomainError, InvalidInput
from renda.orgs.models import Congress

from .actions import answers as answer_actions
from .actions import submission
from .choices import AssignmentState, SponsorRole, State, UnitRole
from .forms_deputy import RateForm, SuggestionForm
from .models import Answer, Assignment, Commitment, JointRating, Merge, Sponsor, Suggestion
from .permissions import (
    acts_for_unit,
    can_assign,
    can_edit_draft,
    can_evaluate,
    can_register,
    can_write_suggestions,
    get_suggestion_for_user,
)
from .queries import deputy_congress_ids
from .views_attachments import attachments_context

PAGE_SIZE = 20


def _require_deputy(user: Any) -> None:
    if not can_write_suggestions(user):
        raise Http404


def _attach(form: forms.Form, exc: DomainError) -> None:
    """Show an action's refusal on the field it names ("title: ..."), else on the form."""
    detail = str(exc.detail)
    if isinstance(exc, InvalidInput) and ":" in detail:
        field, _sep, message = detail.partition(":")
        field = field.strip()
        if field in form.fields:
            form.add_error(field, message.strip())
            return
    form.add_error(None, detail)


# --- Detail (shared by every side) ------------------------------------------------------------
def detail_context(user: Any, suggestion: Suggestion) -> dict[str, Any]:
    """Everything the detail page and the side panels included in it need (fixed query count).

    `can_register`, `can_assign` and `unit_assignments` (the assignments of units the user acts
    for) let the office and unit panels decide themselves whether to show anything."""
    sponsors = list(
        Sponsor.objects.filter(suggestion=suggestion).select_related("deputy").order_by("id")
    )
    # Joint handling (并案办理): a merged suggestion shows the primary's units and answers.
    merged_into = Merge.objects.filter(suggestion_id=suggestion.pk).select_related("into").first()
    handled = merged_into.into if merged_into is not None else suggestion
    merged = list(
        Merge.objects.filter(into_id=suggestion.pk)
        .select_related("suggestion__lead_deputy")
        .order_by("merged_at", "id")
    )
    assignments = list(
        Assignment.objects.filter(suggestion=handled)
        .select_related("unit", "answer_deadline", "co_opinion_deadline", "return_deadline")
        .order_by("-role", "id")
    )
    for a in assignments:
        a.due_deadline = a.answer_deadline if a.role == UnitRole.LEAD else a.co_opinion_deadline
    answers = list(
        Answer.objects.filter(assignment__suggestion=handled)
        .select_related("assignment__unit", "feedback_deadline", "evaluation")
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.order_by("due", "id"))
        )
        .order_by("sent_at", "id")
    )
    may_evaluate = can_evaluate(user, suggestion)
    # Joint handling: a merged suggestion's deputy rates the primary's answers for their own
    # suggestion (JointRating); the page shows that rating, not the primary deputy's.
    joint = (
        {r.answer_id: r for r in JointRating.objects.filter(suggestion=suggestion)}
        if merged_into is not None
        else None
    )
    rateable = (
        suggestion.state == State.MERGED and handled.state in answer_actions.RATEABLE
        if merged_into is not None
        else suggestion.state in answer_actions.RATEABLE
    )
    # The office and the units see, under each answer of a primary, the ratings of the merged
    # suggestions' deputies (SUG-FEEDBACK for each sponsor; a 不满意 among them sends the answer
    # back): one query. The primary's deputy sees their own rating only.
    may_register = can_register(user, suggestion)
    acting_for = [a for a in assignments if acts_for_unit(user, a)]
    staff_view = bool(merged) and (may_register or bool(acting_for))
    joint_of: dict[int, dict[int, JointRating]] = {}
    if staff_view and answers:
        for r in JointRating.objects.filter(answer__in=[a.pk for a in answers]):
            joint_of.setdefault(r.answer_id, {})[r.suggestion_id] = r
    today = timezone.localdate()
    latest_round = {}
    for answer in answers:
        latest_round[answer.assignment_id] = max(
            latest_round.get(answer.assignment_id, 0), answer.round
        )
    for answer in answers:
        if joint is not None:
            answer.current_evaluation = joint.get(answer.pk)
        else:
            try:
                answer.current_evaluation = answer.evaluation
            except Answer.evaluation.RelatedObjectDoesNotExist:
                answer.current_evaluation = None
        window = answer.feedback_deadline
        answer.may_rate = (
            may_evaluate
            and answer.current_evaluation is None
            and answer.round == latest_round[answer.assignment_id]
            and answer.assignment.state == AssignmentState.ANSWERED
            and rateable
            and (window is None or today <= window.due)
        )
        answer.sponsor_ratings = (
            [(m, joint_of.get(answer.pk, {}).get(m.suggestion_id)) for m in merged]
            if staff_view
            else []
        )
        answer.rate_form = RateForm(
            initial={"unit": answer.assignment.unit_id}, prefix=f"a{answer.pk}"
        )
    return {
        "suggestion": suggestion,
        "sponsors": sponsors,
        "assignments": assignments,
        "answers": answers,
        "merged_into": merged_into,
        "merged": merged,
        "can_register": may_register,
        "can_assign": can_assign(user, suggestion),
        "can_evaluate": may_evaluate,
        "can_edit": can_edit_draft(user, suggestion) and suggestion.state == State.DRAFT,
        "my_invitation": next(
            (
                s
                for s in sponsors
                if s.deputy_id == getattr(user, "pk", None)
                and s.role == SponsorRole.COSIGNER
                and not s.confirmed_at
                and not s.declined_at
                and suggestion.state in submission.COSIGN_STATES
            ),
            None,
        ),
        "can_manage_cosigners": can_edit_draft(user, suggestion)
        and suggestion.state in submission.COSIGN_STATES,
        "my_signature": next(
            (
                s
                for s in sponsors
                if s.deputy_id == getattr(user, "pk", None)
                and s.role == SponsorRole.COSIGNER
                and s.confirmed_at
                and not s.declined_at
                and suggestion.state in submission.COSIGN_STATES
            ),
            None,
        ),
        # A unit acts on the primary's page, never on a merged suggestion's.
        "unit_assignments": [] if merged_into is not None else acting_for,
        "history": history_of(suggestion),
        "source_opinions": source_opinions(user, suggestion),
        **attachments_context(user, suggestion),
    }


def source_opinions(user: Any, suggestion: Suggestion) -> list[Any]:
    """The citizens' opinions this suggestion was made from (triage outcome "suggestion"), only
    those the user may see in the opinions app (its own scope: station staff, the office, the
    addressed or following deputy, administrators) — one query; the page links back to each."""
    from renda.opinions.permissions import opinions_visible_to

    return list(
        opinions_visible_to(user)
        .filter(suggestion=suggestion)
        .select_related("category", "station")
        .order_by("id")
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_suggestion_for_user(request.user, pk)
    return render(request, "suggestions/detail.html", detail_context(request.user, suggestion))


@login_required
@require_POST
def rate(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    """SUG-FEEDBACK: the lead deputy rates one lead unit's answer (actions.answers.evaluate)."""
    suggestion = get_suggestion_for_user(request.user, pk)
    # A merged suggestion's deputy rates the primary's answers (joint handling).
    into = Merge.objects.filter(suggestion_id=suggestion.pk).values_list("into_id", flat=True)
    answer = (
        Answer.objects.filter(
            pk=answer_pk, assignment__suggestion_id=into[0] if into else suggestion.pk
        )
        .select_related("assignment")
        .first()
    )
    if answer is None:
        raise Http404
    form = RateForm(request.POST, prefix=f"a{answer.pk}")
    if form.is_valid():
        try:
            answer_actions.evaluate(
                suggestion,
                unit=answer.assignment.unit_id,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Thank you: your rating was recorded."))
            return redirect("suggestions:detail", suggestion.pk)
    else:
        messages.error(
            request,
            _("The rating was not recorded: %(errors)s")
            % {"errors": " ".join(str(e) for errs in form.errors.values() for e in errs)},
        )
    context = detail_context(request.user, suggestion)
    for a in context["answers"]:
        if a.pk == answer.pk:
            a.rate_form = form
    return render(request, "suggestions/detail.html", context, status=422)


# --- My suggestions ----------------------------------------------------------------------------
def _mine(user: Any) -> Any:
    """What the deputy leads or has confirmed co-signing: their own sponsor rows (the lead
    deputy has one too, role lead). No OR with `lead_deputy` and no visibility filter on top
    (a sponsor who has not declined sees the suggestion): on PostgreSQL the OR of a column and
    a subquery scanned all 1 M suggestions (3.3 s a page); this starts from the sponsor index."""
    mine = Sponsor.objects.filter(deputy=user, declined_at__isnull=True).filter(
        Q(role=SponsorRole.LEAD) | Q(confirmed_at__isnull=False)
    )
    leads = Assignment.objects.filter(role=UnitRole.LEAD).exclude(state=AssignmentState.RETURNED)
    return (
        Suggestion.objects.filter(pk__in=mine.values("suggestion_id"))
        .select_related("topic")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=leads.select_related("unit", "answer_deadline").order_by("id"),
                to_attr="lead_assignments",
            )
        )
        .order_by("-updated_at", "-id")
    )


def cosign_requests(user: Any) -> Any:
    """Co-signature requests waiting for this deputy's answer (MOTION-COSIGN)."""
    return (
        Sponsor.objects.filter(
            deputy=user,
            role=SponsorRole.COSIGNER,
            confirmed_at__isnull=True,
            declined_at__isnull=True,
            suggestion__state__in=submission.COSIGN_STATES,
        )
        .select_related("suggestion__lead_deputy")
        .order_by("-invited_at", "-id")
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    _require_deputy(request.user)
    page = Paginator(_mine(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/deputy/mine.html",
        {
            "page": page,
            "requests": list(cosign_requests(request.user)[:50]),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def answer_cosign(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """An invited deputy confirms or declines a co-signature in their own account."""
    suggestion = get_suggestion_for_user(request.user, pk)
    action = {
        "confirm": submission.confirm_cosign,
        "decline": submission.decline_cosign,
        "withdraw": submission.withdraw_cosign,
    }.get(verb)
    if action is None:
        raise Http404
    try:
        action(suggestion, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        done = {
            "confirm": _("You co-signed “%(title)s”."),
            "decline": _("You declined to co-sign “%(title)s”."),
            "withdraw": _("You withdrew your co-signature from “%(title)s”."),
        }[verb]
        messages.success(request, done % {"title": suggestion.title})
    return redirect("suggestions:mine")


@login_required
@require_POST
def remove_cosigner(request: HttpRequest, pk: int, deputy_pk: int) -> HttpResponse:
    """The lead deputy removes a co-signer or withdraws an invitation (MOTION-COSIGN: a
    submitted motion left short goes back to draft)."""
    suggestion = get_suggestion_for_user(request.user, pk)
    try:
        suggestion = submission.remove_cosigner(suggestion, deputy_pk, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The co-signer was removed."))
        if suggestion.state == State.DRAFT and request.POST.get("back") == "edit":
            return redirect("suggestions:edit", suggestion.pk)
    return redirect("suggestions:detail", suggestion.pk)


# --- Write, autosave, submit -------------------------------------------------------------------
def _congress_for(request: HttpRequest) -> Congress:
    ids = deputy_congress_ids(request.user)
    if not ids:
        raise Http404
    wanted = request.POST.get("congress") or request.GET.get("congress")
    if wanted and wanted.isdigit() and int(wanted) in ids:
        return Congress.objects.get(pk=int(wanted))
    return Congress.objects.get(pk=ids[0])


def _own_draft(request: HttpRequest, pk: Any) -> Suggestion:
    suggestion = get_suggestion_for_user(request.user, pk)
    if not can_edit_draft(request.user, suggestion):
        raise Http404
    return suggestion


def _write(request: HttpRequest, draft: Suggestion | None) -> HttpResponse:
    """New and edit share one page: "Save draft" or "Submit". On the new page the autosave
    may already have created the draft: its id comes back in the `draft` field."""
    if draft is None and request.method == "POST" and request.POST.get("draft"):
        draft = _own_draft(request, request.POST["draft"])
    congress = draft.congress if draft else _congress_for(request)
    if draft is not None and draft.state != State.DRAFT:
        messages.info(request, _("This suggestion has been submitted; it can no longer be edited."))
        return redirect("suggestions:detail", draft.pk)
    initial = {}
    if draft is not None:
        initial = {
            "kind": draft.kind,
            "title": draft.title,
            "body": draft.body,
            "topic": draft.topic_id,
        }
    if request.method == "POST":
        form = SuggestionForm(
            request.POST, congress=congress, user=request.user, draft=draft, initial=initial
        )
        if form.is_valid():
            data = form.cleaned_data
            topic = data["topic"].pk if data["topic"] else None
            try:
                with transaction.atomic():
                    if draft is None:
                        draft = submission.create_draft(
                            congress,
                            by=request.user,
                            kind=data["kind"],
                            title=data["title"],
                            body=data["body"],
                            topic=topic,
                            cosigners=list(data["cosigners"]),
                        )
                    else:
                        draft = submission.update_draft(
                            draft,
                            by=request.user,
                            title=data["title"],
                            body=data["body"],
                            topic=topic,
                        )
                        if data["cosigners"]:
                            submission.invite_cosigners(
                                draft, list(data["cosigners"]), by=request.user
                            )
            except DomainError as exc:
                _attach(form, exc)
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("Draft saved."))
                    return redirect("suggestions:edit", draft.pk)
                try:
                    draft = submission.submit(draft, by=request.user)
                except DomainError as exc:
                    # The draft is kept (saved above); the refusal says what is missing.
                    messages.error(request, _("Not submitted: the draft is saved."))
                    # Those just invited are listed apart now: not offered again.
                    data = request.POST.copy()
                    data.setlist("cosigners", [])
                    form = SuggestionForm(
                        data,
                        congress=congress,
                        user=request.user,
                        draft=draft,
                        initial={"kind": draft.kind},
                    )
                    form.is_valid()
                    _attach(form, exc)
                    return _render_write(request, form, draft, congress, status=422)
                messages.success(
                    request,
                    _("Submitted as %(number)s. The deputy-affairs office will register it.")
                    % {"number": draft.number},
                )
                return redirect("suggestions:detail", draft.pk)
        return _render_write(request, form, draft, congress, status=422)
    form = SuggestionForm(congress=congress, user=request.user, draft=draft, initial=initial)
    return _render_write(request, form, draft, congress)


def _render_write(
    request: HttpRequest,
    form: SuggestionForm,
    draft: Suggestion | None,
    congress: Congress,
    status: int = 200,
) -> HttpResponse:
    sponsors = []
    needed = None
    if draft is not None:
        sponsors = list(
            draft.sponsors.filter(role=SponsorRole.COSIGNER).select_related("deputy").order_by("id")
        )
    from renda.rules.profiles import profile_for  # noqa: PLC0415

    needed = profile_for(congress).cosigners_needed(congress.level)
    return render(
        request,
        "suggestions/deputy/write.html",
        {
            "form": form,
            "draft": draft,
            "congress": congress,
            "cosigners": sponsors,
            "confirmed": sum(1 for s in sponsors if s.confirmed_at and not s.declined_at),
            "motion_needs": needed,
            **attachments_context(request.user, draft),
            # A deputy of several congresses picks one on a new page (the first by default).
            "congress_choices": (
                list(
                    Congress.objects.filter(pk__in=deputy_congress_ids(request.user)).order_by("pk")
                )
                if draft is None
                else []
            ),
        },
        status=status,
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    _require_deputy(request.user)
    return _write(request, None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _write(request, _own_draft(request, pk))


@login_required
@require_POST
def autosave(request: HttpRequest) -> HttpResponse:
    """htmx: save the draft as the deputy types (actions.submission.update_draft; the first save
    of a new page creates the draft). Answers a small status fragment, never an error page."""
    _require_deputy(request.user)
    title = request.POST.get("title", "")
    body = request.POST.get("body", "")
    topic_raw = request.POST.get("topic") or None
    topic = int(topic_raw) if topic_raw and topic_raw.isdigit() else None
    draft_id = request.POST.get("draft") or ""
    context: dict[str, Any] = {"draft": None, "error": "", "saved_at": None}
    try:
        if draft_id:
            draft = _own_draft(request, draft_id)
            if draft.state != State.DRAFT:
                raise DomainError(_("Already submitted: nothing to save."))
            draft = submission.update_draft(
                draft, by=request.user, title=title, body=body, topic=topic
            )
        elif not title.strip():
            context["error"] = _("Not saved yet: give it a title first.")
            return render(request, "suggestions/deputy/_autosave.html", context)
        else:
            kind = request.POST.get("kind") or "suggestion"
            draft = submission.create_draft(
                _congress_for(request),
                by=request.user,
                kind=kind,
                title=title,
                body=body,
                topic=topic,
            )
            context["created"] = True
        context["draft"] = draft
        context["saved_at"] = timezone.localtime()
    except DomainError as exc:
        context["error"] = _("Not saved: %(why)s") % {"why": exc.detail}
    response = render(request, "suggestions/deputy/_autosave.html", context)
    if context.get("created"):
        # The page now edits a saved draft: a reload opens it rather than a blank form.
        response["HX-Replace-Url"] = reverse("suggestions:edit", args=[context["draft"].pk])
    return response


# --- Home panel --------------------------------------------------------------------------------

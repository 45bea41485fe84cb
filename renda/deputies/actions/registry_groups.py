"""The registry's lists the office keeps: delegations (代表团) of a term, deputy groups and
professional groups (代表小组/专业小组, which may mix deputies of several levels, with leaders
marked), and the expertise tags. Each change one audited action."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.errors import DomainError, InvalidInput, require
from renda.orgs.models import Congress, Term

from ..choices import GroupKind
from ..models import Delegation, DeputyGroup, Deputyship, ExpertiseTag, GroupMembership
from ..permissions import can_manage_deputies, can_use_registry, related_congress_ids
from .registry import _text


def _unique(fn: Any, message: str) -> Any:
    try:
        with transaction.atomic():
            return fn()
    except IntegrityError:
        raise InvalidInput(message, code="duplicate") from None


# --- delegations ------------------------------------------------------------------------------
@transaction.atomic
def create_delegation(congress: Congress, term: Term, *, name: str, by: Any) -> Delegation:
    """A delegation of the congress's term (the roster names deputies' delegations by these)."""
    require(can_manage_deputies(by, congress))
    if term.congress_id != congress.pk:
        raise InvalidInput(_("That term belongs to another congress."), code="term")
    name = _text(name, 100, _("Name"), required=True)
    delegation = _unique(
        lambda: Delegation.objects.create(congress=congress, term=term, name=name),
        _("This term already has a delegation of that name."),
    )
    record_event(delegation, "delegation.created", by=by, data={"term": term.pk, "name": name})
    return delegation


@transaction.atomic
def rename_delegation(delegation: Delegation, *, name: str, by: Any) -> Delegation:
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    require(can_manage_deputies(by, delegation.congress_id))
    name = _text(name, 100, _("Name"), required=True)
    if name != delegation.name:
        old = delegation.name
        delegation.name = name
        _unique(
            lambda: delegation.save(update_fields=["name"]),
            _("This term already has a delegation of that name."),
        )
        record_event(delegation, "delegation.renamed", by=by, data={"from": old, "to": name})
    return delegation


# --- groups -----------------------------------------------------------------------------------
def _kind(kind: str) -> str:
    if kind not in GroupKind.values:
        raise InvalidInput(_("Unknown kind of group: %(kind)s") % {"kind": kind})
    return kind


@transaction.atomic
def create_group(congress: Congress, *, name: str, kind: str, by: Any) -> DeputyGroup:
    """A deputy group or professional group of the congress."""
    require(can_manage_deputies(by, congress))
    name = _text(name, 100, _("Name"), required=True)
    kind = _kind(kind)
    group = _unique(
        lambda: DeputyGroup.objects.create(congress=congress, name=name, kind=kind),
        _("This congress already has a group of that name."),
    )
    record_event(group, "deputy_group.created", by=by, data={"name": name, "kind": kind})
    return group


@transaction.atomic
def change_group(group: DeputyGroup, *, name: str, kind: str, by: Any) -> DeputyGroup:
    group = DeputyGroup.objects.select_for_update().get(pk=group.pk)
    require(can_manage_deputies(by, group.congress_id))
    name = _text(name, 100, _("Name"), required=True)
    kind = _kind(kind)
    if (name, kind) != (group.name, group.kind):
        data = {"from": [group.name, group.kind], "to": [name, kind]}
        group.name, group.kind = name, kind
        _unique(
            lambda: group.save(update_fields=["name", "kind"]),
            _("This congress already has a group of that name."),
        )
        record_event(group, "deputy_group.changed", by=by, data=data)
    return group


@transaction.atomic
def add_group_member(group: DeputyGroup, deputyship: Deputyship, *, by: Any) -> GroupMembership:
    """A deputy joins the group: a deputy of the group's congress, or of a congress above or
    below it (mixed groups across levels). Adding a member twice changes nothing."""
    group = DeputyGroup.objects.select_for_update().get(pk=group.pk)
    require(can_manage_deputies(by, group.congress_id))
    if deputyship.congress_id not in related_congress_ids(group.congress_id):
        raise InvalidInput(
            _("Only deputies of this congress or of congresses above or below it can join."),
            code="congress",
        )
    if deputyship.status == "ended":
        raise DomainError(_("This deputyship has ended."), code="wrong_state")
    membership, created = GroupMembership.objects.get_or_create(group=group, deputyship=deputyship)
    if created:
        record_event(group, "deputy_group.member_added", by=by, data={"deputyship": deputyship.pk})
    return membership


@transaction.atomic
def remove_group_member(group: DeputyGroup, deputyship: Deputyship, *, by: Any) -> None:
    group = DeputyGroup.objects.select_for_update().get(pk=group.pk)
    require(can_manage_deputies(by, group.congress_id))
    deleted, _rows = GroupMembership.objects.filter(group=group, deputyship=deputyship).delete()
    if deleted:
        record_event(
            group, "deputy_group.member_removed", by=by, data={"deputyship": deputyship.pk}
        )


@transaction.atomic
def set_group_leader(
    group: DeputyGroup, deputyship: Deputyship, *, leader: bool, by: Any
) -> GroupMembership:
    """Mark or unmark a member as the group's leader (组长; a group may have deputy leaders
    too, so more than one may be marked)."""
    group = DeputyGroup.objects.select_for_update().get(pk=group.pk)
    require(can_manage_deputies(by, group.congress_id))
    membership = GroupMembership.objects.filter(group=group, deputyship=deputyship).first()
    if membership is None:
        raise InvalidInput(_("Only a member can lead the group."), code="not_member")
    if membership.is_leader != leader:
        membership.is_leader = leader
        membership.save(update_fields=["is_leader"])
        record_event(
            group,
            "deputy_group.leader_set",
            by=by,
            data={"deputyship": deputyship.pk, "leader": leader},
        )
    return membership


# --- expertise tags ---------------------------------------------------------------------------
def _tag_name(name: str) -> str:
    return _text(name, 30, _("Name"), required=True)


@transaction.atomic
def create_tag(*, name: str, by: Any) -> ExpertiseTag:
    """An expertise tag (shared by every congress: 教育 is 教育 everywhere)."""
    require(can_use_registry(by))
    name = _tag_name(name)
    tag = _unique(lambda: ExpertiseTag.objects.create(name=name), _("This tag exists already."))
    record_event(tag, "expertise_tag.created", by=by, data={"name": name})
    return tag


@transaction.atomic
def rename_tag(tag: ExpertiseTag, *, name: str, by: Any) -> ExpertiseTag:
    require(can_use_registry(by))
    tag = ExpertiseTag.objects.select_for_update().get(pk=tag.pk)
    name = _tag_name(name)
    if name != tag.name:
        old = tag.name
        tag.name = name
        _unique(lambda: tag.save(update_fields=["name"]), _("This tag exists already."))
        record_event(tag, "expertise_tag.renamed", by=by, data={"from": old, "to": name})
    return tag


@transaction.atomic
def remove_tag(tag: ExpertiseTag, *, by: Any) -> None:
    """Remove a tag (and take it off everyone who had it: the event counts them)."""
    require(can_use_registry(by))
    tag = ExpertiseTag.objects.select_for_update().get(pk=tag.pk)
    people = tag.people.count()
    record_event(tag, "expertise_tag.removed", by=by, data={"name": tag.name, "people": people})
    tag.delete()

"""Versions that move whenever something a home page shows changes, so a rendered home page can
be kept and served again until then (renda.home.views; issue 2, "Benchmark").

Three kinds: a person's (`User.home_version`: their notifications, their account and roles), a
congress's (`Congress.home_version`: any record of that congress — its suggestions, units,
deputies, activities…) and the site's (`SiteVersion`: anything else, e.g. the legal calendar;
it also moves every congress). A home page is cached under its person's version, the versions
of the congresses they hold roles in, the site version for administrators, the language and the
day; it is also dropped after `HOME_CACHE_SECONDS` whatever happens, which bounds anything that
changes with the clock alone.

What moves them: every audit event (every state change has one, in its transaction:
`renda.audit.actions.record_event` calls `touch`), `notify` and marking notifications read. The
versions move just after the transaction commits, in a statement of their own: no lock is held
with the audit chain's, and a page drawn from data read before the commit may be cached under
the old version only (each request reads the versions first, with its user and roles).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language

from renda.plainsql import execute


class _Pending:
    """The versions one transaction will move when it commits (one UPDATE per kind)."""

    def __init__(self) -> None:
        self.users: set[int] = set()
        self.congresses: set[int] = set()
        self.site = False  # the site version (administrators' pages)
        self.everything = False  # the site version and every congress's

    def __call__(self) -> None:
        from renda.accounts.models import User
        from renda.orgs.models import Congress

        from .models import SiteVersion

        if self.everything or self.site:
            updated = SiteVersion.objects.filter(pk=1).update(home_version=F("home_version") + 1)
            if not updated:
                SiteVersion.objects.get_or_create(pk=1, defaults={"home_version": 1})
        if self.everything:
            Congress.objects.update(home_version=F("home_version") + 1)
        elif self.congresses and connection.vendor == "postgresql":
            _bump_congresses_pg(sorted(self.congresses))
        elif self.congresses:
            Congress.objects.filter(pk__in=sorted(self.congresses)).update(
                home_version=F("home_version") + 1
            )
        if self.users:
            User.objects.filter(pk__in=sorted(self.users)).update(
                home_version=F("home_version") + 1
            )


# The advisory-lock class of a congress version's move (PostgreSQL; with the congress id as key).
BUMP_LOCK = 0x52484F4D  # "RHOM"


def _bump_congresses_pg(ids: list[int]) -> None:
    """Move these congresses' versions, each unless another move of it is under way right now.

    A move that finds another one in flight (its advisory lock taken and not yet released: that
    statement has not committed) skips it: the one in flight commits after this transaction's
    commit, so it moves the version past any page drawn before our data — which is all a move
    must do. Under a burst of citizens' submissions to one congress, the moves then no longer
    queue one behind the other on the congress's row, each until its commit is flushed. One
    statement in autocommit: the lock is the statement's own transaction's.
    """
    from renda.orgs.models import Congress

    table = connection.ops.quote_name(Congress._meta.db_table)
    execute(
        f"UPDATE {table} SET home_version = home_version + 1 WHERE id = ANY(%s)"  # noqa: S608
        " AND CASE WHEN id = ANY(%s) THEN pg_try_advisory_xact_lock(%s, id::int)"
        " ELSE FALSE END",
        [ids, ids, BUMP_LOCK],
    )


def _pending() -> _Pending:
    """This transaction's pending moves (registered once, run on commit); outside a
    transaction, a fresh set the caller runs at once."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return _Pending()
    for _savepoints, func, _robust in connection.run_on_commit:
        if isinstance(func, _Pending):
            return func
    pending = _Pending()
    transaction.on_commit(pending)
    return pending


def _run_now_if_outside(pending: _Pending) -> None:
    if not transaction.get_connection().in_atomic_block:
        pending()


def touch_users(user_ids: Iterable[int]) -> None:
    """These people's home pages change (a notification, their roles, their account)."""
    ids = {int(pk) for pk in user_ids if pk is not None}
    if not ids:
        return
    pending = _pending()
    pending.users |= ids
    _run_now_if_outside(pending)


def touch_everything() -> None:
    """Something every home page may show changed (e.g. the legal calendar moved deadlines)."""
    pending = _pending()
    pending.everything = True
    _run_now_if_outside(pending)


@cache
def _paths(model: type[models.Model]) -> tuple[tuple[str, ...], ...]:
    """How an object of this model reaches its congress: attribute paths to a congress id,
    shortest first (through at most three foreign keys), found from the models' fields."""
    found: list[tuple[str, ...]] = []

    def walk(m: type[models.Model], prefix: tuple[str, ...], depth: int) -> None:
        for field in m._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey):
                continue
            target = field.related_model
            if target._meta.label == "orgs.Congress":
                found.append((*prefix, field.attname))
            elif depth < 3 and target is not m:
                walk(target, (*prefix, field.name), depth + 1)

    walk(model, (), 1)
    found.sort(key=len)
    return tuple(found)


def scope_of(obj: Any) -> tuple[set[int], set[int]] | None:
    """(people, congresses) whose home pages a change to `obj` may show; None: anyone's."""
    from renda.accounts.models import User
    from renda.orgs.models import Congress

    if isinstance(obj, User):
        return {obj.pk}, set()
    if isinstance(obj, Congress):
        return set(), {obj.pk}
    paths = _paths(type(obj))
    congresses: set[int] = set()
    for path in paths:
        value: Any = obj
        for name in path:
            value = getattr(value, name, None)
            if value is None:
                break
        if value is not None:
            congresses.add(int(value))
            break  # the shortest path names the object's own congress
    users: set[int] = set()
    user_id = getattr(obj, "user_id", None)
    if isinstance(user_id, int):
        users.add(user_id)
    if not congresses and not users:
        return None
    return users, congresses


def touch(obj: Any) -> None:
    """A record changed (an audit event was written for it): move the versions of whoever's home
    page may show it; for a record tied to no congress and no person, every version."""
    if obj is None:
        return
    scope = scope_of(obj)
    pending = _pending()
    if scope is None:
        pending.everything = True
    else:
        users, congresses = scope
        pending.users |= users
        pending.congresses |= congresses
        if users and not congresses:
            # Accounts are on administrators' home pages (e.g. initial passwords not yet
            # replaced): the site version moves with them, without moving every congress.
            pending.site = True
    _run_now_if_outside(pending)


@cache
def _site_sql() -> str:
    from .models import SiteVersion

    sql, params = (
        SiteVersion.objects.filter(pk=1).values_list("home_version").query.sql_with_params()
    )
    assert params == (1,)
    return sql


def site_version() -> int:
    """The site version (one indexed row; in plain SQL, as it is read on administrators' every
    home page)."""
    with connection.cursor() as cursor:
        cursor.execute(_site_sql(), [1])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def home_cache_key(user: Any, assignments: Iterable[Any], *, admin: bool) -> str | None:
    """The key a person's rendered home page is kept under: their version, their congresses'
    versions, the site's for administrators, the language and the day (panels mark what is due
    or overdue by the date). None: do not keep it (RENDA_HOME_CACHE_SECONDS = 0)."""
    if not settings.RENDA_HOME_CACHE_SECONDS:
        return None
    congresses = sorted(
        {(ra.congress_id, ra.congress.home_version) for ra in assignments if ra.congress_id}
    )
    parts = [
        "home:1",
        str(user.pk),
        str(user.home_version),
        ",".join(f"{pk}.{version}" for pk, version in congresses),
        str(site_version()) if admin else "-",
        get_language() or "",
        timezone.localdate().isoformat(),
    ]
    return ":".join(parts)

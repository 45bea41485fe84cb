"""The reads every signed-in request makes — its session, its user, the user's roles — in plain
SQL compiled once per process.

They run on every page, and the ORM spends about ten times longer building each of these
one-row queries than the database spends answering it (issue 2, "Benchmark";
docs/performance.md). The SQL is the ORM's own, compiled once; the rows go through the same
field converters and become ordinary model instances (`Model.from_db`), the objects the ORM
would give (tests/test_hot_reads.py compares them). Nothing here writes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.db import connections
from django.db.models import Model

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@cache
def _names(model: type[Model]) -> tuple[str, ...]:
    """The model's concrete fields' attribute names, in the order the ORM selects them."""
    return tuple(f.attname for f in model._meta.concrete_fields)


def _instance(model: type[Model], names: tuple[str, ...], values: Any) -> Model:
    return model.from_db("default", names, list(values))


@cache
def _converters(model: type[Model]) -> tuple[tuple[int, Any, tuple[Any, ...]], ...]:
    """For each column the database backend or the field converts (dates and times on SQLite,
    decimals, JSON…): its position, its column expression and the converters, in the order the
    ORM applies them; the other columns come back as Python values already."""
    connection = connections["default"]
    out = []
    for i, field in enumerate(model._meta.concrete_fields):
        col = field.get_col(model._meta.db_table)
        found = tuple(connection.ops.get_db_converters(col)) + tuple(
            field.get_db_converters(connection)
        )
        if found:
            out.append((i, col, found))
    return tuple(out)


def _from_row(model: type[Model], row: Any) -> Model:
    converters = _converters(model)
    if converters:
        connection = connections["default"]
        row = list(row)
        for i, col, found in converters:
            if row[i] is not None:
                for converter in found:
                    row[i] = converter(row[i], col, connection)
    return _instance(model, _names(model), row)


@cache
def _user_sql() -> str:
    """The ORM's own SQL for one user by primary key, built once (the parameter is the pk)."""
    from .models import User

    sql, params = User.objects.filter(pk=1).query.sql_with_params()
    assert params == (1,)
    return sql


def load_user(pk: Any) -> Any:
    """The user with this primary key, or None."""
    from .models import User

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    with connections["default"].cursor() as cursor:
        cursor.execute(_user_sql(), [pk])
        row = cursor.fetchone()
    return None if row is None else _from_row(User, row)


@cache
def _user_with_roles_sql() -> str:
    """The ORM's SQL for one user and, joined, each of their role assignments with its congress
    and unit: one row per assignment (one row with empty role columns when there is none)."""
    from renda.orgs.models import Congress, HandlingUnit

    from .models import RoleAssignment, User

    columns = [
        *_names(User),
        *(f"roles__{name}" for name in _names(RoleAssignment)),
        *(f"roles__congress__{name}" for name in _names(Congress)),
        *(f"roles__unit__{name}" for name in _names(HandlingUnit)),
    ]
    qs = User.objects.filter(pk=1).values_list(*columns).order_by("roles__id")
    sql, params = qs.query.sql_with_params()
    assert params == (1,)
    return sql


def load_user_with_roles(pk: Any) -> Any:
    """The user with this primary key with their role assignments already attached (what
    `permissions.role_assignments` reads), in one query; or None."""
    from renda.orgs.models import Congress, HandlingUnit

    from .models import RoleAssignment, User

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    with connections["default"].cursor() as cursor:
        cursor.execute(_user_with_roles_sql(), [pk])
        rows = cursor.fetchall()
    if not rows:
        return None
    n_user, n_ra = len(_names(User)), len(_names(RoleAssignment))
    n_c = len(_names(Congress))
    user = _from_row(User, rows[0][:n_user])
    user._renda_roles = [
        _attached(row[n_user:], n_ra, n_c, RoleAssignment, Congress, HandlingUnit)
        for row in rows
        if row[n_user] is not None
    ]
    return user


def _attached(
    row: Any, n_ra: int, n_c: int, ra_model: Any, congress_model: Any, unit_model: Any
) -> Any:
    """A role assignment with its congress and unit from one row's columns."""
    ra = _from_row(ra_model, row[:n_ra])
    c_row, u_row = row[n_ra : n_ra + n_c], row[n_ra + n_c :]
    ra_model.congress.field.set_cached_value(
        ra, _from_row(congress_model, c_row) if c_row[0] is not None else None
    )
    ra_model.unit.field.set_cached_value(
        ra, _from_row(unit_model, u_row) if u_row[0] is not None else None
    )
    return ra


@cache
def _roles_sql() -> str:
    """The ORM's SQL for a user's role assignments with their congress and unit (the columns
    come in field order, the assignment's, then the congress's, then the unit's)."""
    from .models import RoleAssignment

    qs = RoleAssignment.objects.filter(user_id=1).select_related("congress", "unit").order_by("id")
    sql, params = qs.query.sql_with_params()
    assert params == (1,)
    return sql


def load_roles(user_id: int) -> list[Any]:
    """The user's role assignments with their congress and unit attached (as select_related
    would), in the order they were given."""
    from renda.orgs.models import Congress, HandlingUnit

    from .models import RoleAssignment

    n_ra = len(RoleAssignment._meta.concrete_fields)
    n_c = len(Congress._meta.concrete_fields)
    with connections["default"].cursor() as cursor:
        cursor.execute(_roles_sql(), [user_id])
        rows = cursor.fetchall()
    return [_attached(row, n_ra, n_c, RoleAssignment, Congress, HandlingUnit) for row in rows]


_KEY = "renda-hot-reads-key"


@cache
def _session_sql() -> tuple[str, tuple[str, ...]]:
    """The ORM's SQL for an unexpired session's data, and the order its two parameters come in
    ("key", "now": the ORM decides it, so it is read off the compiled query)."""
    from django.contrib.sessions.models import Session

    qs = Session.objects.filter(session_key=_KEY, expire_date__gt=_EPOCH).values_list(
        "session_data"
    )
    sql, params = qs.query.sql_with_params()
    epoch = connections["default"].ops.adapt_datetimefield_value(_EPOCH)
    names = {_KEY: "key", epoch: "now"}
    order = tuple(names[p] for p in params)
    assert sorted(order) == ["key", "now"]
    return sql, order


def session_data(session_key: str, now: Any) -> str | None:
    """The encoded data of an unexpired session, or None."""
    connection = connections["default"]
    sql, order = _session_sql()
    values = {"key": session_key, "now": connection.ops.adapt_datetimefield_value(now)}
    with connection.cursor() as cursor:
        cursor.execute(sql, [values[name] for name in order])
        row = cursor.fetchone()
    return None if row is None else row[0]


__all__ = ["load_roles", "load_user", "session_data"]

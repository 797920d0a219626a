"""A `QuerySet.get()` (CompiledGet), or a query's every row (CompiledList), whose query the ORM
builds and compiles once per process for each shape of its values, then runs with each
request's values.

Building and compiling a filter costs the ORM far more than running it: on the result page the
ownership query took about 0.65 ms of Python against 0.15 ms in PostgreSQL (docs/performance.md).
The query stays the ORM's, built by the same function from the same rule (nothing is written as
SQL by hand): that function is called once with stand-in values, the compiled SQL is kept, and
each later call binds its own values where the stand-ins were.

What is kept is SQL text, never data. A query is only kept when every bound parameter of it is a
stand-in, and no stand-in was written into the text itself; otherwise (a constant the ORM bound,
e.g. a time) it is built by the ORM on every call, as before.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import MAX_GET_RESULTS

from scalpsafe.db_conversions import Converters, converted, converters_for

# A value the query is built from: a user or object id, a text, a UUID, or a list of ids; None
# and "" where the builder leaves a condition out (so they are part of the shape, not bound).
Value = int | str | uuid.UUID | list[int] | None


@dataclass(frozen=True)
class _Compiled:
    alias: str
    sql: str
    # For each bound parameter: which value (and which item of a list) it is, and whether the
    # database takes a UUID as its hex text (SQLite) rather than as a UUID.
    slots: tuple[tuple[int, int | None, bool], ...]
    model: type[Model]
    attnames: frozenset[str]  # the columns read (Model.from_db defers the others)
    converters: Converters  # each column's, as the ORM converts its values


class _CompiledQuery:
    """A query built by `build` and compiled once per shape of its values.

    `build` may look at its values only to leave a condition out (a value None or "", a list
    empty) and to filter on them; a list's length is part of the shape. Anything else it reads
    of a value (its first letter, its size) would not be seen again: the kept SQL is used for
    every later value of the same shape.
    """

    # Whether the query is `get()`'s (no order, a limit), or reads every row in its order.
    _single: bool

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self._build = build
        # Filled in as shapes are met (a few: signed in or not, with 0, 1, 2... private links).
        self._compiled: dict[tuple, _Compiled | None] = {}

    def _compiled_for(self, values: Sequence[Value]) -> _Compiled | None:
        """The kept query for this shape of values, or None: the ORM as usual."""
        shape = tuple(_shape(value) for value in values)
        if shape not in self._compiled:
            # Two threads may both compile a new shape: the same text, kept once.
            self._compiled[shape] = _compile(self._build, values, single=self._single)
        return self._compiled[shape]


@dataclass(frozen=True)
class Joined:
    """Columns read beside a CompiledGet's object, in the same statement: `columns` and `joins`
    are SQL over the object's row as the derived table `o` (its columns by their own names, e.g.
    `o."id"`), with no placeholders (the statement binds the query's own values only);
    `converters` are the columns' conversions, in order."""

    columns: str
    joins: str
    converters: Converters


class CompiledGet(_CompiledQuery):
    """`build(*values).get()`, with the query compiled once per shape of `values`."""

    _single = True

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        super().__init__(build)
        # The statements of get_joined: each kept query with the columns joined to it.
        self._joined: dict[tuple[str, str, str], str] = {}

    def get(self, *values: Value) -> Model:
        """As `build(*values).get()`: the one object, or the model's DoesNotExist."""
        compiled = self._compiled_for(values)
        if compiled is None:
            return self._build(*values).get()
        return _run(compiled, values)[0]

    def get_joined(
        self, joined: Callable[[str], Joined], *values: Value
    ) -> tuple[Model, list] | None:
        """As `get()`, with the columns `joined(alias)` adds read in the same statement (one
        round trip fewer than a second query): the object and those columns' values,
        converted. None when this shape of values is not kept (the ORM builds it every time):
        the caller then uses `get()` and reads the columns apart."""
        compiled = self._compiled_for(values)
        if compiled is None:
            return None
        extra = joined(compiled.alias)
        key = (compiled.sql, extra.columns, extra.joins)
        if key not in self._joined:
            if "%s" in extra.columns or "%s" in extra.joins:
                raise ValueError("joined columns bind nothing: each value would go astray")
            quote = connections[compiled.alias].ops.quote_name
            self._joined[key] = (
                f"SELECT {quote('o')}.*, {extra.columns} FROM ({compiled.sql}) {quote('o')}"  # noqa: S608
                f" {extra.joins}"
            )
        return _run(compiled, values, sql=self._joined[key], extra=extra.converters)


class CompiledList(_CompiledQuery):
    """`list(build(*values))`, in the query's own order, with the query compiled once per shape
    of `values`."""

    _single = False

    def list(self, *values: Value) -> list[Model]:
        compiled = self._compiled_for(values)
        if compiled is None:
            return list(self._build(*values))
        return _run_list(compiled, values)


def _shape(value: Value) -> tuple:
    # What a builder may branch on: which values are missing or empty, and how long a list is.
    if isinstance(value, list):
        return (list, len(value))
    return (type(value), bool(value))


def _stand_in(value: Value, used: list) -> Value:
    """A value of the same shape as `value` that no request can send (nor the ORM add)."""
    if value is None or value == "":
        return value
    if isinstance(value, list):
        return [_stand_in(item, used) for item in value]
    if isinstance(value, bool):
        raise TypeError("a flag changes the query's shape: build two queries")
    if isinstance(value, int):
        # Negative (no id is) and within a 32-bit column's range: Django drops a condition
        # on a value no column of the field's type can hold, which would change the query.
        stand_in = -(2**30) - secrets.randbelow(2**29)
    elif isinstance(value, str):
        stand_in = f"stand-in-{secrets.token_hex(16)}"
    elif isinstance(value, uuid.UUID):
        stand_in = uuid.uuid4()
    else:
        raise TypeError(f"no stand-in for {type(value).__name__}")
    used.append(stand_in)
    return stand_in


def _compile(
    build: Callable[..., QuerySet], values: Sequence[Value], *, single: bool = True
) -> _Compiled | None:
    """The query `build` makes for values of this shape, or None if it cannot be kept."""
    used: list = []
    stand_ins = [_stand_in(value, used) for value in values]
    if len(set(used)) != len(used):
        return None  # two random stand-ins alike: not told apart (the ORM is used for the shape)
    queryset = build(*stand_ins)
    if single:
        queryset = queryset.order_by()  # as QuerySet.get() does
        queryset.query.set_limits(high=MAX_GET_RESULTS)
    if queryset._prefetch_related_lookups:
        return None  # the ORM's iteration prefetches; rows rebuilt here would not be
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None  # nothing can match (e.g. QuerySet.none()): the ORM answers without a query
    # Where each stand-in is: (which value, which item of a list, bound as its hex text).
    slot_of: dict = {}
    for index, stand_in in enumerate(stand_ins):
        items = enumerate(stand_in) if isinstance(stand_in, list) else [(None, stand_in)]
        for item, one in items:
            if one is not None and one != "":
                slot_of[one] = (index, item, False)
                if isinstance(one, uuid.UUID):
                    slot_of[one.hex] = (index, item, True)
    slots = [slot_of.get(p) if isinstance(p, int | str | uuid.UUID) else None for p in params]
    if None in slots:
        return None  # a value the ORM bound itself (e.g. a time): not the same every time
    if {slot[:2] for slot in slots} != {slot[:2] for slot in slot_of.values()}:
        return None  # a value left out of the bound ones (the ORM dropped or inlined it)
    written = [str(one) for one in used] + [one.hex for one in used if isinstance(one, uuid.UUID)]
    if any(text in sql for text in written):
        return None
    klass_info, select = compiler.klass_info, compiler.select
    if compiler.has_extra_select:
        return None  # columns the ORM added (DISTINCT's ordering), not the model's
    if klass_info is None or compiler.annotation_col_map or klass_info.get("related_klass_infos"):
        return None  # only a plain model row is rebuilt here
    if klass_info["select_fields"] != list(range(len(select))):
        return None
    columns = [column for column, _sql, _alias in select]
    return _Compiled(
        alias=queryset.db,
        sql=sql,
        slots=tuple(slots),
        model=klass_info["model"],
        attnames=frozenset(column.target.attname for column in columns),
        converters=converters_for(compiler.connection, columns),
    )


def _params(compiled: _Compiled, values: Sequence[Value]) -> list:
    params = []
    for index, item, as_hex in compiled.slots:
        value = values[index] if item is None else values[index][item]
        params.append(value.hex if as_hex else value)
    return params


def _run_list(compiled: _Compiled, values: Sequence[Value]) -> list[Model]:
    connection = connections[compiled.alias]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, _params(compiled, values))
        rows = cursor.fetchall()
    from_db, alias, attnames = compiled.model.from_db, compiled.alias, compiled.attnames
    return [
        from_db(alias, attnames, converted(connection, compiled.converters, row)) for row in rows
    ]


def _run(
    compiled: _Compiled, values: Sequence[Value], *, sql: str = "", extra: Converters = ()
) -> tuple[Model, list]:
    """The one object, with the values of `extra`'s columns after its own (those of `sql`, the
    kept query with columns joined to it, when given)."""
    connection = connections[compiled.alias]
    with connection.cursor() as cursor:
        cursor.execute(sql or compiled.sql, _params(compiled, values))
        rows = cursor.fetchmany(MAX_GET_RESULTS)
    model = compiled.model
    if not rows:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    if len(rows) > 1:
        raise model.MultipleObjectsReturned(
            f"get() returned more than one {model._meta.object_name}"
        )
    own = len(compiled.converters)
    row = converted(connection, compiled.converters, rows[0][:own])
    joined = converted(connection, extra, rows[0][own:])
    return model.from_db(compiled.alias, compiled.attnames, row), joined

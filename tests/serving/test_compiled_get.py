"""CompiledGet (scalpsafe/compiled_get.py): the ORM's query, compiled once per shape, gets what
`QuerySet.get()` gets, with each call's own values."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import SNAPSHOT_JSON_FIELDS, Assessment
from scalpsafe.compiled_get import CompiledGet, CompiledList, Joined
from tests.support.assessments import save_assessment

pytestmark = pytest.mark.django_db

calls = []


def _owned(owner_id: int | None, anonymous_owner: str, ids: list[int], assessment_id: uuid.UUID):
    calls.append(1)
    queryset = Assessment.objects.filter(pk=assessment_id)
    if owner_id is not None:
        queryset = queryset.filter(owner_id=owner_id)
    if anonymous_owner:
        queryset = queryset.filter(anonymous_owner=anonymous_owner)
    if ids:
        queryset = queryset.exclude(reviewed_by_id__in=ids)
    return queryset


def _fields(assessment: Assessment) -> dict:
    return {k: v for k, v in vars(assessment).items() if k != "_state"}


@pytest.fixture(autouse=True)
def _no_calls():
    calls.clear()


def test_it_gets_what_the_orm_gets(owner):
    mine = save_assessment(owner=owner)
    anonymous = save_assessment()
    query = CompiledGet(lambda *values: _owned(*values).defer(*SNAPSHOT_JSON_FIELDS))
    for values in [
        (owner.pk, "", [], mine.pk),
        (None, anonymous.anonymous_owner, [], anonymous.pk),
        (None, anonymous.anonymous_owner, [owner.pk, owner.pk + 1], anonymous.pk),
    ]:
        for _ in range(2):  # compiled, then kept
            got = query.get(*values)
            expected = _owned(*values).defer(*SNAPSHOT_JSON_FIELDS).get()
            assert _fields(got) == _fields(expected)
            assert got.get_deferred_fields() == expected.get_deferred_fields()
            assert got._state.db == "default" and not got._state.adding
    assert got.answers == anonymous.answers  # a deferred field loads on first access


def test_it_binds_each_calls_own_values(owner, someone_else):
    mine = save_assessment(owner=owner)
    theirs = save_assessment(owner=someone_else)
    query = CompiledGet(_owned)
    assert query.get(owner.pk, "", [], mine.pk) == mine
    assert query.get(someone_else.pk, "", [], theirs.pk) == theirs
    with pytest.raises(Assessment.DoesNotExist):
        query.get(someone_else.pk, "", [], mine.pk)
    with pytest.raises(Assessment.DoesNotExist):
        query.get(None, theirs.anonymous_owner or "nobody", [], mine.pk)


def test_it_builds_each_shape_once(owner, django_assert_num_queries):
    mine = save_assessment(owner=owner)
    query = CompiledGet(_owned)
    query.get(owner.pk, "", [], mine.pk)
    calls.clear()
    with django_assert_num_queries(1):
        assert query.get(owner.pk, "", [], mine.pk) == mine
    query.get(owner.pk, "", [1], mine.pk)  # a new shape: one more link
    query.get(owner.pk, "", [1], mine.pk)
    assert len(calls) == 1


def test_a_value_the_orm_binds_itself_is_never_kept(owner):
    # A time would be frozen at the first call: such a query is built by the ORM on every call.
    mine = save_assessment(owner=owner)

    def recent(owner_id: int):
        return Assessment.objects.filter(owner_id=owner_id, created_at__lte=timezone.now())

    query = CompiledGet(recent)
    assert query.get(owner.pk) == mine
    assert query.get(owner.pk) == mine
    assert list(query._compiled.values()) == [None]


def test_a_shape_that_matches_nothing_asks_nothing(owner, django_assert_num_queries):
    save_assessment(owner=owner)
    query = CompiledGet(
        lambda owner_id: (
            Assessment.objects.filter(owner_id=owner_id) if owner_id else Assessment.objects.none()
        )
    )
    with django_assert_num_queries(0), pytest.raises(Assessment.DoesNotExist):
        query.get(None)


def _own_points_twice(alias: str) -> Joined:
    # A column over the object's row, and one from a joined table (its owner's username).
    return Joined(
        columns='o."points" * 2, joined_owner."username"',
        joins='LEFT JOIN "auth_user" joined_owner ON joined_owner."id" = o."owner_id"',
        converters=(((), None), ((), None)),
    )


def test_joined_columns_come_in_the_same_statement(owner, someone_else, django_assert_num_queries):
    mine = save_assessment(owner=owner)
    anonymous = save_assessment()
    query = CompiledGet(lambda *values: _owned(*values).defer(*SNAPSHOT_JSON_FIELDS))
    query.get_joined(_own_points_twice, owner.pk, "", [], mine.pk)  # the first also compiles
    with django_assert_num_queries(1):
        got, joined = query.get_joined(_own_points_twice, owner.pk, "", [], mine.pk)
    expected = _owned(owner.pk, "", [], mine.pk).defer(*SNAPSHOT_JSON_FIELDS).get()
    assert _fields(got) == _fields(expected) and not got._state.adding
    assert got.get_deferred_fields() == expected.get_deferred_fields()
    assert joined == [mine.points * 2, owner.username]
    got, joined = query.get_joined(
        _own_points_twice, None, anonymous.anonymous_owner, [], anonymous.pk
    )
    assert got == anonymous and joined == [anonymous.points * 2, None]
    with pytest.raises(Assessment.DoesNotExist):
        query.get_joined(_own_points_twice, someone_else.pk, "", [], mine.pk)


def test_joined_columns_may_not_bind_values(owner):
    # Their text comes before the query's own in the statement: a value bound there would take
    # the place of the query's first one.
    mine = save_assessment(owner=owner)
    query = CompiledGet(_owned)

    def binding(alias: str) -> Joined:
        return Joined(columns='o."points" + %s', joins="", converters=(((), None),))

    with pytest.raises(ValueError, match="bind nothing"):
        query.get_joined(binding, owner.pk, "", [], mine.pk)


def test_a_shape_not_kept_joins_nothing_and_says_so(owner, django_assert_num_queries):
    # The caller reads the columns apart, as get() and a query of their own.
    mine = save_assessment(owner=owner)

    def recent(owner_id: int):
        return Assessment.objects.filter(owner_id=owner_id, created_at__lte=timezone.now())

    query = CompiledGet(recent)
    with django_assert_num_queries(0):
        assert query.get_joined(_own_points_twice, owner.pk) is None
    assert query.get(owner.pk) == mine


def _owned_by(owner_id: int):
    calls.append(1)
    return Assessment.objects.filter(owner_id=owner_id).order_by("-created_at")


def test_a_list_lists_what_the_orm_lists_in_its_order(owner, someone_else):
    now = timezone.now()
    mine = [save_assessment(owner=owner) for _ in range(3)]
    # Saved oldest first, so that the listed order (newest first) is the query's, not theirs.
    for days, assessment in enumerate(mine):
        Assessment.objects.filter(pk=assessment.pk).update(
            created_at=now - timedelta(days=len(mine) - days)
        )
    save_assessment(owner=someone_else)
    owned = CompiledList(_owned_by)

    for user in (owner, someone_else, owner):
        listed = owned.list(user.pk)
        expected = list(_owned_by(user.pk))
        assert [a.pk for a in listed] == [a.pk for a in expected]
        assert [_fields(a) for a in listed] == [_fields(a) for a in expected]
    # Compiled once (the first call), then built by nobody: the other calls above are the ORM's.
    assert len(calls) == 1 + 3


def test_a_list_of_nothing_is_empty(owner):
    assert CompiledList(_owned_by).list(owner.pk) == []


def test_a_list_the_orm_adds_columns_to_or_prefetches_is_the_orms(owner):
    # DISTINCT ordered by a column it does not load: the ORM selects that column too.
    save_assessment(owner=owner)
    ordered_by_unloaded = CompiledList(
        lambda owner_id: (
            Assessment.objects.filter(owner_id=owner_id)
            .only("pk", "points")
            .distinct()
            .order_by("created_at")
        )
    )
    prefetching = CompiledList(
        lambda owner_id: Assessment.objects.filter(owner_id=owner_id).prefetch_related("shares")
    )

    assert [a.points for a in ordered_by_unloaded.list(owner.pk)] == [
        a.points for a in Assessment.objects.filter(owner_id=owner.pk)
    ]
    (listed,) = prefetching.list(owner.pk)
    assert "shares" in listed._prefetched_objects_cache

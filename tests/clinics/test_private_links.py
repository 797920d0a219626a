"""Private links: a long random token, stored only as its hash, revocable, gone with the result."""

import hashlib

import pytest

from assessments.services import assessment_delete
from clinics.models import PrivateLink
from clinics.private_links import (
    _GRANTS,
    private_link_create,
    private_link_find,
    private_link_granted_ids,
    private_link_revoke,
)
from tests.support.assessments import save_assessment

pytestmark = pytest.mark.django_db


def test_it_makes_a_long_random_token_and_keeps_only_its_hash():
    assessment = save_assessment()

    token = private_link_create(assessment=assessment)

    assert len(token) >= 43
    assert token != private_link_create(assessment=save_assessment())
    stored = PrivateLink.objects.get(assessment=assessment)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(PrivateLink.objects.values())
    assert private_link_find(token).assessment == assessment


def test_a_new_link_revokes_the_old_one():
    assessment = save_assessment()
    old = private_link_create(assessment=assessment)

    new = private_link_create(assessment=assessment)

    assert private_link_find(old) is None
    assert private_link_find(new).assessment == assessment


def test_a_revoked_link_or_a_deleted_result_opens_nothing():
    revoked, deleted = save_assessment(), save_assessment()
    revoked_token = private_link_create(assessment=revoked)
    deleted_token = private_link_create(assessment=deleted)

    assert private_link_revoke(assessment=revoked) == 1
    assessment_delete(assessment=deleted)

    assert private_link_find(revoked_token) is None
    assert private_link_find(deleted_token) is None
    assert not PrivateLink.objects.filter(assessment_id=deleted.pk).exists()


@pytest.mark.parametrize("token", ["", "x", "a" * 43, "a" * 10_000, "nul\x00byte"])
def test_a_made_up_token_opens_nothing(token):
    private_link_create(assessment=save_assessment())

    assert private_link_find(token) is None


def test_only_whole_numbers_count_as_granted_links():
    # A bool is an int to isinstance; no link has it as its id.
    session = {_GRANTS: [3, True, "4", None, 5]}

    assert private_link_granted_ids(session) == [3, 5]

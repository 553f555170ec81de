"""Every predicate of ``agreements.permissions``, for every role (one case per role).

Roles come from ``world``: the secretariat (staff of the leader, Hà Nội), a signatory and a
staff member of Hải Phòng (an ordinary member), an outsider (staff of Quảng Ninh, cluster B
only), a Ministry reviewer, a site admin, and an anonymous visitor.
"""

import datetime

import pytest

from agreements import permissions
from agreements.models import Covenant
from members.models import ClusterYear
from tests.factories import UserFactory
from tests.helpers import sign

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "signatory", "staff", "outsider", "reviewer", "site_admin", "anonymous"]


def per_role(*allowed: str):
    """One case per role: (role, whether the predicate holds for it)."""
    return pytest.mark.parametrize(
        ("role", "expected"), [pytest.param(role, role in allowed, id=role) for role in ROLES]
    )


# Seeing


@per_role("secretariat", "signatory", "staff", "reviewer", "site_admin")
def test_a_covenant_is_visible_to_members_reviewers_and_admins(world, covenant, role, expected):
    assert permissions.can_view_covenant(world.user(role), covenant) is expected


@per_role("outsider", "reviewer", "site_admin")
def test_another_clusters_covenant_is_hidden_from_cluster_a(world, role, expected):
    covenant = Covenant.objects.create(cluster_year=world.year_b, title="Giao ước năm 2024")
    assert permissions.can_view_covenant(world.user(role), covenant) is expected


# Drafting and editing


@per_role("secretariat", "site_admin")
def test_a_covenant_is_drafted_by_the_secretariat_and_admins(world, role, expected):
    assert permissions.can_create_covenant(world.user(role), world.year_a) is expected


@per_role()
def test_a_year_that_has_a_covenant_gets_no_second_one(world, draft, role, expected):
    year = ClusterYear.objects.get(pk=world.year_a.pk)
    assert permissions.can_create_covenant(world.user(role), year) is expected


@per_role("secretariat", "site_admin")
def test_a_draft_is_edited_by_the_secretariat_and_admins(world, draft, role, expected):
    assert permissions.can_edit_covenant(world.user(role), draft) is expected


@per_role()
def test_a_covenant_open_for_signing_is_edited_by_nobody(world, covenant, role, expected):
    assert permissions.can_edit_covenant(world.user(role), covenant) is expected


@per_role("secretariat", "site_admin")
def test_a_draft_is_opened_by_the_secretariat_and_admins(world, draft, role, expected):
    assert permissions.can_open_covenant(world.user(role), draft) is expected


@per_role()
def test_an_open_covenant_is_opened_again_by_nobody(world, covenant, role, expected):
    assert permissions.can_open_covenant(world.user(role), covenant) is expected


# New versions, signing management, closing


@per_role("secretariat", "site_admin")
def test_a_new_version_is_made_by_the_secretariat_and_admins(world, covenant, role, expected):
    assert permissions.can_revise_covenant(world.user(role), covenant) is expected


@per_role()
def test_a_draft_gets_no_new_version(world, draft, role, expected):
    assert permissions.can_revise_covenant(world.user(role), draft) is expected


@per_role("secretariat", "site_admin")
def test_signing_is_managed_by_the_secretariat_and_admins(world, covenant, role, expected):
    assert permissions.can_manage_signing(world.user(role), covenant) is expected


@per_role()
def test_signing_of_a_fully_signed_covenant_is_managed_by_nobody(
    world, signed_covenant, role, expected
):
    assert permissions.can_manage_signing(world.user(role), signed_covenant) is expected


@per_role("secretariat", "site_admin")
def test_a_fully_signed_covenant_is_closed_by_the_secretariat_and_admins(
    world, signed_covenant, role, expected
):
    assert permissions.can_close_covenant(world.user(role), signed_covenant) is expected


@per_role()
def test_a_covenant_still_open_is_closed_by_nobody(world, covenant, role, expected):
    assert permissions.can_close_covenant(world.user(role), covenant) is expected


# Signing


@per_role("signatory")
def test_an_open_covenant_is_signed_by_member_signatories_only(world, covenant, role, expected):
    assert permissions.can_sign(world.user(role), covenant) is expected


@per_role()
def test_a_draft_is_signed_by_nobody(world, draft, role, expected):
    assert permissions.can_sign(world.user(role), draft) is expected


@per_role()
def test_a_department_that_signed_may_not_sign_again(world, covenant, role, expected):
    sign(covenant, world.signatory)
    assert permissions.can_sign(world.user(role), covenant) is expected


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("staff", "not_signatory"),
        ("secretariat", "not_signatory"),
        ("outsider", "not_signatory"),
        ("reviewer", "not_signatory"),
        ("site_admin", "not_signatory"),
        ("anonymous", "not_signatory"),
    ],
)
def test_the_refusal_names_why_a_role_may_not_sign(world, covenant, role, code):
    assert permissions.signing_refusal(world.user(role), covenant)[0] == code


def test_a_member_signatory_gets_no_refusal(world, covenant):
    assert permissions.signing_refusal(world.signatory, covenant) is None


def test_a_signatory_of_another_clusters_department_may_not_sign(covenant, other_cluster_signatory):
    assert not permissions.can_sign(other_cluster_signatory, covenant)


def test_a_signatory_of_a_former_member_may_not_sign(covenant, former_member_signatory):
    assert not permissions.can_sign(former_member_signatory, covenant)


def test_the_leaders_signatory_may_sign_in_parallel_signing(covenant, signatories):
    assert permissions.can_sign(signatories["hanoi"], covenant)


def test_the_leaders_signatory_may_not_sign_first_when_the_leader_signs_last(
    leader_last, signatories
):
    assert permissions.signing_refusal(signatories["hanoi"], leader_last)[0] == "leader_last"


def test_every_member_signatory_but_the_leader_may_sign_when_the_leader_signs_last(
    leader_last, signatories
):
    allowed = {
        code for code, user in signatories.items() if permissions.can_sign(user, leader_last)
    }
    assert allowed == {"vinhphuc", "haiphong", "bacninh"}


# Rights follow the year, not the account


def test_a_cluster_administrator_manages_signing_whoever_leads(world, covenant):
    administrator = UserFactory(department=world.bacninh)
    administrator.administered_clusters.add(world.cluster_a)
    assert permissions.can_manage_signing(administrator, covenant)


def test_the_leader_of_another_cluster_does_not_manage_this_covenant(world, covenant):
    other_leader = UserFactory(department=world.quangninh)
    assert not permissions.can_manage_signing(other_leader, covenant)


def test_a_closed_year_s_draft_is_edited_by_site_admins_only(world, draft):
    year = ClusterYear.objects.get(pk=world.year_a.pk)
    year.phase = ClusterYear.Phase.CLOSED
    draft.cluster_year = year
    assert (
        permissions.can_edit_covenant(world.secretariat, draft),
        permissions.can_edit_covenant(world.site_admin, draft),
    ) == (False, True)


# Paper originals: who records them (issue 11)


@per_role()
def test_by_default_no_world_role_records_a_paper_original(world, covenant, role, expected):
    """The world's secretariat is staff, not a signatory, of the leader department."""
    assert permissions.can_record_paper_original(world.user(role), covenant) is expected


def test_by_default_the_leaders_signatory_records_a_paper_original(covenant, signatories):
    assert permissions.can_record_paper_original(signatories["hanoi"], covenant)


def test_a_member_departments_signatory_does_not_record_a_paper_original(covenant, signatories):
    assert not permissions.can_record_paper_original(signatories["bacninh"], covenant)


@per_role("secretariat", "site_admin")
def test_whom_the_cluster_lists_records_paper_originals_if_they_manage_signing(
    world, covenant, role, expected
):
    user = world.user(role)
    if user.is_authenticated:
        world.cluster_a.paper_recorders.add(user)
    assert permissions.can_record_paper_original(user, covenant) is expected


def test_once_the_cluster_lists_someone_the_leaders_signatory_no_longer_records(
    world, covenant, signatories
):
    world.cluster_a.paper_recorders.add(world.secretariat)
    assert not permissions.can_record_paper_original(signatories["hanoi"], covenant)


def test_nobody_records_a_paper_original_after_the_deadline(covenant, signatories):
    covenant.deadline = covenant.opened_at - datetime.timedelta(minutes=1)
    assert not permissions.can_record_paper_original(signatories["hanoi"], covenant)


@per_role("secretariat", "site_admin")
def test_quarantined_scans_are_listed_for_the_secretariat_and_admins(
    world, covenant, role, expected
):
    assert permissions.can_see_quarantined_scans(world.user(role), covenant) is expected

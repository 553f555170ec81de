"""The demo reviewer may record the council's decisions (dossiers.demo_reviewers)."""

from cluster_portal.management.commands.load_demo import DEMO_MODULES
from dossiers import demo_reviewers
from members.models import User
from tests.factories import UserFactory


def test_the_demo_reviewer_is_granted_the_decision_permission_idempotently(db):
    UserFactory(username="reviewer", reviewer=True)
    demo_reviewers.load()
    demo_reviewers.load()
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.has_perm("dossiers.record_award_decision")
    assert reviewer.user_permissions.count() == 1


def test_no_other_account_is_granted_it(db):
    UserFactory(username="reviewer", reviewer=True)
    other = UserFactory(reviewer=True)
    demo_reviewers.load()
    assert not User.objects.get(pk=other.pk).has_perm("dossiers.record_award_decision")


def test_the_grant_runs_after_the_evaluations_demo():
    assert DEMO_MODULES.index("dossiers.demo_reviewers") == (
        DEMO_MODULES.index("evaluations.demo") + 1
    )

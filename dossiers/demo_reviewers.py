"""Demo: the demo ``reviewer`` account may record the Ministry council's award decisions.

The permission is granted to named reviewer accounts (``dossiers.record_award_decision``);
in the demo, that is the one reviewer. Idempotent.
"""

from django.contrib.auth.models import Permission

from members.models import User


def load(stdout=None):
    reviewer = User.objects.filter(username="reviewer", role=User.Role.REVIEWER).first()
    if reviewer is None:
        return
    permission = Permission.objects.get(
        content_type__app_label="dossiers", codename="record_award_decision"
    )
    reviewer.user_permissions.add(permission)
    if stdout:
        stdout.write("dossiers: the demo reviewer may record the Ministry's award decisions")

"""Audit actions of the ballots app: the one list of their codes and labels.

A vote is recorded as "this department voted" (actor, department), never with its choice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BallotAction(models.TextChoices):
    BALLOT_CREATED = "ballot.created", _("Ballot created")
    BALLOT_EDITED = "ballot.edited", _("Ballot edited")
    BALLOT_OPENED = "ballot.opened", _("Ballot opened for voting")
    BALLOT_CLOSED = "ballot.closed", _("Ballot closed")
    BALLOT_COUNTED = "ballot.counted", _("Ballot counted")
    BALLOT_VOTED = "ballot.voted", _("Department voted")
    BALLOT_VOTE_REFUSED = "ballot.vote_refused", _("Vote refused (wrong password)")
    PAPER_COUNT_ENTERED = "ballot.paper_count_entered", _("Paper ballot count entered")
    RUNOFF_CREATED = "ballot.runoff_created", _("Runoff ballot created")
    VOTE_RECORD_ISSUED = "ballot.record_issued", _("Vote record issued")
    RESULT_CONFIRMED = "ballot.result_confirmed", _("Election result confirmed")

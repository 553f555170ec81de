"""Ballots of the closing conference (bỏ phiếu kín).

Secrecy by design: the voter roll (``BallotVoter``: which department has voted) and the
ballot contents (``BallotPaper``: what was chosen) are separate tables with nothing that
links them: no foreign key between them, no shared id, no timestamps, no sequence numbers.
A paper's primary key is a random UUID, its choices are encrypted (AES-GCM, key from the
environment, see ``ballots.crypto``) until counting, and on closing the papers are
rewritten in a random order in one transaction, so neither the physical order of the rows
nor the database's transaction ids can tell the order of voting afterwards.
The papers are never shown one by one, in the portal or in the admin: only totals, after
the ballot is closed. See README.md, "Ballot secrecy".
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import IllustrativeModel, TimeStampedModel

PERCENT = {"max_digits": 5, "decimal_places": 2}


class Ballot(IllustrativeModel, TimeStampedModel):
    """One question put to the vote at a closing conference.

    States: draft → open → closed → counted. Electronic ballots are cast by each present
    member department's signatory; paper ballots are counted in the room and their counts
    entered by the secretariat (``PaperCount``). The count's totals are kept on the ballot
    and its candidates once counted.
    """

    class Kind(models.TextChoices):
        GOVERNMENT_FLAG = "government_flag", _("Leading unit proposed for the Government's flag")
        MINISTRY_FLAG = "ministry_flag", _("Proposal for the Ministry's emulation flag")
        MINISTER_MERIT = "minister_merit", _("Proposal for the Minister's certificate of merit")
        LEADER = "leader", _("Election of next year's cluster leader")
        DEPUTY = "deputy", _("Election of next year's deputy leader")
        OTHER = "other", _("Other question")

    class Method(models.TextChoices):
        ELECTRONIC = "electronic", _("Electronic, in the portal")
        PAPER = "paper", _("On paper, counted in the room")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for voting")
        CLOSED = "closed", _("Closed")
        COUNTED = "counted", _("Counted")

    class ThresholdBase(models.TextChoices):
        MEMBERS = "members", _("of all members")
        PRESENT = "present", _("of the members present")
        VALID = "valid", _("of the valid ballots")

    class BlankPolicy(models.TextChoices):
        REFUSE = "refuse", _("Refuse a blank or over-filled ballot")
        INVALID = "invalid", _("Count a blank or over-filled ballot as invalid")

    # Kinds whose result, once confirmed, sets next year's leadership.
    LEADERSHIP_KINDS = frozenset({Kind.LEADER, Kind.DEPUTY})
    # Kinds whose result becomes an award proposal in the dossier.
    AWARD_KINDS = frozenset({Kind.GOVERNMENT_FLAG, Kind.MINISTRY_FLAG, Kind.MINISTER_MERIT})

    conference = models.ForeignKey(
        "plans.Activity",
        verbose_name=_("conference"),
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    # The conference's year, kept here so that every query scopes by it in one join.
    cluster_year = models.ForeignKey(
        "members.ClusterYear",
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    question = models.TextField(_("question"))
    method = models.CharField(
        _("voting method"), max_length=12, choices=Method.choices, default=Method.ELECTRONIC
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    min_choices = models.PositiveSmallIntegerField(_("fewest choices"), default=1)
    max_choices = models.PositiveSmallIntegerField(_("most choices"), default=1)
    quorum_percent = models.DecimalField(
        _("quorum (% of all members)"),
        default=50,
        help_text=_("The vote is valid when at least this share of all members cast a ballot."),
        **PERCENT,
    )
    threshold_percent = models.DecimalField(
        _("threshold (%)"),
        default=50,
        help_text=_("A candidate is chosen with more than this share of the votes."),
        **PERCENT,
    )
    threshold_base = models.CharField(
        _("threshold counted"),
        max_length=10,
        choices=ThresholdBase.choices,
        default=ThresholdBase.MEMBERS,
    )
    blank_policy = models.CharField(
        _("blank or over-filled ballots"),
        max_length=10,
        choices=BlankPolicy.choices,
        default=BlankPolicy.REFUSE,
    )
    runoff_of = models.ForeignKey(
        "self",
        verbose_name=_("runoff of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runoffs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    # The count (set by the counting service; None until counted).
    eligible = models.PositiveSmallIntegerField(_("members entitled"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    issued = models.PositiveSmallIntegerField(_("ballots issued"), null=True, blank=True)
    cast = models.PositiveSmallIntegerField(_("ballots cast"), null=True, blank=True)
    valid = models.PositiveSmallIntegerField(_("valid ballots"), null=True, blank=True)
    invalid = models.PositiveSmallIntegerField(_("invalid ballots"), null=True, blank=True)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    has_tie = models.BooleanField(_("tie at the cut"), default=False)
    # Leadership ballots: the secretariat confirms the result, which sets next year's leader.
    result_confirmed_at = models.DateTimeField(_("result confirmed at"), null=True, blank=True)
    result_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("result confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["cluster_year", "conference", "id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_choices__gte=1) & Q(max_choices__gte=F("min_choices")),
                name="ballot_choices_at_least_one",
                violation_error_message=_(
                    "A voter chooses at least one, and the most is not below the fewest."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__gte=0)
                & Q(quorum_percent__lte=100)
                & Q(threshold_percent__gte=0)
                & Q(threshold_percent__lt=100),
                name="ballot_percentages_in_range",
                violation_error_message=_("Quorum and threshold are percentages (0–100)."),
            ),
            models.CheckConstraint(
                condition=~Q(state="counted") | (Q(cast__isnull=False) & Q(valid__isnull=False)),
                name="counted_ballot_has_totals",
            ),
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("ballots:ballot-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_counted(self) -> bool:
        return self.state == self.State.COUNTED


class Candidate(models.Model):
    """A member department on a ballot, as named that year; its votes once counted."""

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="candidates"
    )
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="ballot_candidacies",
    )
    position = models.PositiveSmallIntegerField(_("order on the ballot"), default=1)
    # From the published ranking when the ballot was prepared (None for leadership ballots
    # or when the year has no published results).
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    total = models.DecimalField(
        _("total points"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    votes = models.PositiveSmallIntegerField(_("votes"), null=True, blank=True)
    share = models.DecimalField(
        _("share of the threshold base (%)"), null=True, blank=True, **PERCENT
    )
    reached_threshold = models.BooleanField(_("reached the threshold"), null=True, blank=True)
    chosen = models.BooleanField(_("chosen"), default=False)

    class Meta:
        ordering = ["ballot", "position", "id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "membership"],
                name="one_candidacy_per_member_per_ballot",
                violation_error_message=_("This department is already a candidate."),
            ),
        ]

    def __str__(self):
        return f"{self.membership.short_name}"


class BallotVoter(models.Model):
    """The voter roll: this member department has voted on this ballot. Nothing else.

    No time, no sequence and nothing pointing at the paper it cast (``BallotPaper`` is
    written in the same transaction but holds no reference to this row, nor this row to it).
    The unique constraint is the guarantee of one vote per department per ballot.
    """

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="voters"
    )
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="ballots_voted",
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cast by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["ballot", "membership__sort_key"]
        verbose_name = _("voter roll entry")
        verbose_name_plural = _("voter roll")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "membership"],
                name="one_vote_per_member_per_ballot",
                violation_error_message=_("Your department has already voted on this ballot."),
            ),
        ]

    def __str__(self):
        return f"{self.ballot_id}: {self.membership_id}"


class BallotPaper(models.Model):
    """One cast ballot's contents, sealed: who cast it is not recorded anywhere.

    ``sealed`` is the AES-GCM encryption of the chosen candidates' ids (``ballots.crypto``);
    ``receipt_digest`` is a keyed hash of the receipt code the voter was shown once, so the
    voter can check their paper was counted; the code reveals nothing about the choice.
    ``valid`` is set by the count. The id is random, and the table has no time column.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="papers"
    )
    sealed = models.BinaryField(_("sealed contents"))
    receipt_digest = models.CharField(_("receipt digest"), max_length=64, unique=True)
    valid = models.BooleanField(_("valid"), null=True, blank=True)

    class Meta:
        ordering = ["ballot", "id"]
        verbose_name = _("ballot paper")
        verbose_name_plural = _("ballot papers")

    def __str__(self):
        return str(self.id)


class PaperCount(models.Model):
    """The count committee's figures for a paper ballot (ban kiểm phiếu), entered by the
    secretariat; the votes per candidate go on ``Candidate.votes``. They must add up."""

    ballot = models.OneToOneField(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="paper_count"
    )
    committee = models.TextField(
        _("count committee"), help_text=_("One member of the committee per line, with title.")
    )
    issued = models.PositiveSmallIntegerField(_("ballots issued"))
    returned = models.PositiveSmallIntegerField(_("ballots returned"))
    valid = models.PositiveSmallIntegerField(_("valid ballots"))
    invalid = models.PositiveSmallIntegerField(_("invalid ballots"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("paper ballot count")
        verbose_name_plural = _("paper ballot counts")
        constraints = [
            models.CheckConstraint(
                condition=Q(returned__lte=F("issued"))
                & Q(valid__lte=F("returned"))
                & Q(invalid__lte=F("returned")),
                name="paper_count_adds_up",
                violation_error_message=_("The paper ballot counts do not add up."),
            ),
        ]

    def __str__(self):
        return f"{self.ballot}"


def _record_path(instance, filename):
    return f"ballots/{instance.ballot.cluster_year.year}/{instance.identifier}.pdf"


class VoteRecord(models.Model):
    """The vote record (Biên bản kiểm phiếu) of a counted ballot: a numbered Decree 30 PDF,
    rendered by a background task once, sealed, never replaced."""

    ballot = models.OneToOneField(
        Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="record"
    )
    identifier = models.UUIDField(_("document identifier"), unique=True, default=uuid.uuid4)
    number = models.CharField(_("number and symbol"), max_length=50)
    file = models.FileField(_("file"), upload_to=_record_path)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("vote record")
        verbose_name_plural = _("vote records")

    def __str__(self):
        return f"{self.number} {self.ballot}"

    @property
    def filename(self) -> str:
        year = self.ballot.cluster_year
        return f"bien-ban-kiem-phieu-{year.cluster.code}-{year.year}-{self.ballot_id}.pdf"

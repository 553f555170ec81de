"""Demo data of the ballots: the 2019 closing conference's paper ballots, counted, and the
2026 election of the 2027 leader, open for voting.

* 2019 (illustrative: the seed article says nothing of the closing conference of
  13/12/2019): the eleven members attend; four ballots counted on paper by the count
  committee — the leading unit proposed for the Government's flag and the Minister's
  certificates of merit (candidates and their rank and total from the published 2019
  ranking), the leader and the deputy for 2020. Their totals add up. The 2020 leadership
  results are not confirmed: the demo has no 2020 year, and confirming would start it.
* 2026 (illustrative): the seven members after the 2025 mergers attend the closing
  conference; the electronic ballot on the 2027 leader is open, so that ``hungyen.signer``
  and ``phutho.signer`` (and the other members' signatories) can vote.

The vote records (Biên bản kiểm phiếu) of the counted ballots are issued through the
counting's own service, dated the evening of the conference, so the 2019 dossier encloses
them.
Loading is idempotent: a ballot that exists is left as it is.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from ballots.models import Ballot, Candidate, PaperCount
from evaluations.models import Result
from members.models import ClusterYear, User
from plans.models import Activity, Attendee, CharterVersion
from plans.selectors.charter import charter_version_get_in_force

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CLOSING_DAY_2019 = datetime.date(2019, 12, 13)
ATTENDING = "Lãnh đạo đại diện"

COMMITTEE_2019 = (
    "Đại diện Sở Nội vụ tỉnh Vĩnh Phúc – Trưởng ban kiểm phiếu\n"
    "Đại diện Sở Nội vụ tỉnh Hà Nam – Ủy viên\n"
    "Đại diện Sở Nội vụ tỉnh Quảng Ninh – Ủy viên, Thư ký"
)


def at(*args) -> datetime.datetime:
    """A time in Vietnam (the illustrative story's dates)."""
    return datetime.datetime(*args, tzinfo=VN)


# The 2019 paper ballots: kind, question, most choices, candidates (department codes, or
# ranks in the published 2019 ranking), votes per candidate, ballots returned, invalid.
# Eleven members present, eleven ballots issued.
PAPER_2019 = [
    (
        Ballot.Kind.GOVERNMENT_FLAG,
        "Suy tôn đơn vị dẫn đầu Cụm thi đua các tỉnh, thành Bắc Bộ năm 2019 đề nghị "
        "Chính phủ tặng Cờ thi đua",
        1,
        ("rank", (1, 2, 3)),
        (9, 1, 1),
        11,
        0,
    ),
    (
        Ballot.Kind.MINISTER_MERIT,
        "Đề nghị Bộ trưởng Bộ Nội vụ tặng Bằng khen năm 2019",
        3,
        ("rank", (2, 3, 4, 5, 6)),
        (9, 8, 7, 3, 2),
        11,
        1,
    ),
    (
        Ballot.Kind.LEADER,
        "Bầu Cụm trưởng Cụm thi đua các tỉnh, thành Bắc Bộ năm 2020",
        1,
        ("code", ("vinhphuc", "haiphong")),
        (8, 3),
        11,
        0,
    ),
    (
        Ballot.Kind.DEPUTY,
        "Bầu Cụm phó Cụm thi đua các tỉnh, thành Bắc Bộ năm 2020",
        1,
        ("code", ("haiphong", "bacninh")),
        (7, 4),
        11,
        0,
    ),
]

QUESTION_2027 = "Bầu Cụm trưởng Cụm thi đua các tỉnh, thành Bắc Bộ năm 2027"
CANDIDATES_2027 = ("haiphong", "bacninh", "quangninh")


def _closing_conference(cluster_year: ClusterYear) -> Activity | None:
    return (
        Activity.objects.filter(
            work_plan__cluster_year=cluster_year, kind=Activity.Kind.CLOSING_CONFERENCE
        )
        .order_by("starts_on", "pk")
        .first()
    )


def _attend(conference: Activity, cluster_year: ClusterYear) -> int:
    """Every member of the year attends (the closing conference records no names)."""
    for membership in cluster_year.memberships.all():
        Attendee.objects.get_or_create(
            activity=conference,
            kind=Attendee.Kind.MEMBER,
            department=membership.department,
            defaults={"title": ATTENDING},
        )
    return conference.attendees.filter(kind=Attendee.Kind.MEMBER).count()


def _rules(cluster_year: ClusterYear, on: datetime.date) -> dict:
    """The voting rules of the charter in force on ``on`` (the model's defaults if none)."""
    charter = charter_version_get_in_force(
        list(CharterVersion.objects.filter(cluster=cluster_year.cluster)), on=on
    )
    if charter is None:
        return {}
    return {
        "quorum_percent": charter.vote_quorum_percent,
        "threshold_percent": charter.vote_threshold_percent,
        "threshold_base": charter.vote_threshold_base,
        "blank_policy": (
            Ballot.BlankPolicy.INVALID if charter.vote_blank_invalid else Ballot.BlankPolicy.REFUSE
        ),
    }


def _share(votes: int, base: int) -> Decimal:
    return (Decimal(votes) * 100 / base).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _paper_ballot(conference, cluster_year, row, *, present, admin, position) -> None:
    kind, question, most, (by, keys), votes, returned, invalid = row
    if Ballot.objects.filter(conference=conference, question=question).exists():
        return
    memberships = {m.department.code: m for m in cluster_year.memberships.all()}
    results = {}
    if by == "rank":
        ranked = list(
            Result.objects.filter(evaluation__cluster_year=cluster_year)
            .select_related("membership__department")
            .order_by("rank", "membership__sort_key")
        )
        if len(ranked) < max(keys):
            return  # no published ranking to take the candidates from
        for rank in keys:
            result = ranked[rank - 1]
            results[result.membership.department.code] = result
        codes = list(results)
    else:
        codes = list(keys)
    eligible = len(memberships)
    valid = returned - invalid
    rules = _rules(cluster_year, CLOSING_DAY_2019)
    ballot = Ballot(
        conference=conference,
        cluster_year=cluster_year,
        kind=kind,
        question=question,
        method=Ballot.Method.PAPER,
        state=Ballot.State.COUNTED,
        min_choices=1,
        max_choices=most,
        created_by=admin,
        opened_at=at(2019, 12, 13, 9, 30 + position * 5),
        closed_at=at(2019, 12, 13, 10, 0 + position * 5),
        counted_at=at(2019, 12, 13, 10, 30 + position * 5),
        eligible=eligible,
        present=present,
        issued=present,
        cast=returned,
        valid=valid,
        invalid=invalid,
        is_illustrative=True,
        **rules,
    )
    ballot.quorum_met = Decimal(returned) * 100 / eligible >= ballot.quorum_percent
    base = {
        Ballot.ThresholdBase.MEMBERS: eligible,
        Ballot.ThresholdBase.PRESENT: present,
        Ballot.ThresholdBase.VALID: valid,
    }[ballot.threshold_base]
    ballot.save()
    ordered = sorted(zip(codes, votes, strict=True), key=lambda pair: -pair[1])
    top = {code for code, _votes in ordered[:most]}
    for place, (code, count) in enumerate(zip(codes, votes, strict=True), start=1):
        share = _share(count, base)
        reached = share > ballot.threshold_percent
        result = results.get(code)
        Candidate.objects.create(
            ballot=ballot,
            membership=memberships[code],
            position=place,
            rank=result.rank if result else None,
            total=result.total if result else None,
            votes=count,
            share=share,
            reached_threshold=reached,
            chosen=ballot.quorum_met and reached and code in top,
        )
    PaperCount.objects.create(
        ballot=ballot,
        committee=COMMITTEE_2019,
        issued=present,
        returned=returned,
        valid=valid,
        invalid=invalid,
        entered_by=admin,
        entered_at=at(2019, 12, 13, 10, 25 + position * 5),
    )


def _load_2019(cluster_year: ClusterYear, admin: User) -> None:
    conference = _closing_conference(cluster_year)
    if conference is None:
        return
    present = _attend(conference, cluster_year)
    for position, row in enumerate(PAPER_2019):
        _paper_ballot(
            conference, cluster_year, row, present=present, admin=admin, position=position
        )


def _load_2026(cluster_year: ClusterYear, secretariat: User) -> None:
    conference = _closing_conference(cluster_year)
    if conference is None:
        return
    _attend(conference, cluster_year)
    if Ballot.objects.filter(conference=conference, question=QUESTION_2027).exists():
        return
    memberships = {m.department.code: m for m in cluster_year.memberships.all()}
    ballot = Ballot.objects.create(
        conference=conference,
        cluster_year=cluster_year,
        kind=Ballot.Kind.LEADER,
        question=QUESTION_2027,
        method=Ballot.Method.ELECTRONIC,
        state=Ballot.State.OPEN,
        min_choices=1,
        max_choices=1,
        created_by=secretariat,
        opened_at=timezone.now(),
        is_illustrative=True,
        **_rules(cluster_year, timezone.localdate()),
    )
    Candidate.objects.bulk_create(
        Candidate(ballot=ballot, membership=memberships[code], position=position)
        for position, code in enumerate(CANDIDATES_2027, start=1)
        if code in memberships
    )


def load(stdout=None):
    """The 2019 paper ballots and the open 2026 ballot of the demo cluster, when missing."""
    years = {
        cy.year: cy
        for cy in ClusterYear.objects.filter(cluster__code="bac-bo", year__in=(2019, 2026))
        .select_related("cluster")
        .prefetch_related("memberships__department")
    }
    users = {u.username: u for u in User.objects.filter(username__in=("admin", "secretariat"))}
    admin = users.get("admin")
    if admin is None:
        return
    if 2019 in years:
        _load_2019(years[2019], admin)
    if 2026 in years:
        _load_2026(years[2026], users.get("secretariat", admin))
    _issue_vote_records()
    if stdout:
        stdout.write(
            f"ballots: {Ballot.objects.count()} ballots, "
            f"{Candidate.objects.count()} candidates, {PaperCount.objects.count()} paper counts"
        )


def _issue_vote_records() -> None:
    """Issue the vote record of every counted demo ballot that has none yet, dated the
    evening of its conference (through the counting's own service: numbered, sealed)."""
    from ballots.services.counting import vote_record_issue

    missing = Ballot.objects.filter(
        state=Ballot.State.COUNTED, record__isnull=True, is_illustrative=True
    ).select_related("conference")
    for ballot in missing:
        day = ballot.conference.ends_on
        vote_record_issue(
            ballot_id=ballot.pk, at=datetime.datetime(day.year, day.month, day.day, 17, tzinfo=VN)
        )

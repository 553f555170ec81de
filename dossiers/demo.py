"""Demo data of the award dossiers: the 2019 dossier of the demo cluster, issued and sent
in December 2019 after the closing conference, with the Ministry's decisions recorded.

Illustrative (the portal did not exist in 2019): the dossier is issued through the real
service, so its documents are numbered, sealed and packed like any other. The proposals
come from the counted award ballots of 2019 (``ballots.demo``); where that demo is absent,
from the published 2019 ranking. Idempotent: a year that has a dossier is left alone.
"""

import datetime
from zoneinfo import ZoneInfo

from ballots.models import Ballot
from dossiers.models import AwardDecision, Dossier, Proposal
from dossiers.services.dossiers import dossier_create, dossier_send, dossier_update
from dossiers.services.issuing import dossier_assemble_run
from evaluations.models import Evaluation, Result
from members.models import ClusterYear, User

VN = ZoneInfo("Asia/Ho_Chi_Minh")

SUBMISSION_2019 = (
    "Căn cứ Luật Thi đua, khen thưởng và Hướng dẫn số 5007/BNV-TĐKT của Bộ Nội vụ về "
    "công tác thi đua, khen thưởng của các Cụm, Khối thi đua;\n"
    "Căn cứ kết quả chấm điểm thi đua năm 2019 và kết quả bỏ phiếu kín tại Hội nghị tổng "
    "kết công tác thi đua, khen thưởng năm 2019 của Cụm ngày 13/12/2019,"
)

# Proposal award -> the council's decision, for the demo.
DECISIONS = {
    Proposal.Award.GOVERNMENT_FLAG: AwardDecision.Decision.GOVERNMENT_FLAG_PROPOSED,
    Proposal.Award.MINISTRY_FLAG: AwardDecision.Decision.MINISTRY_FLAG,
    Proposal.Award.MINISTER_MERIT: AwardDecision.Decision.MINISTER_MERIT,
}


def _proposals_from_ranking(dossier: Dossier) -> None:
    """Without the ballots' demo: the leading unit for the Ministry's flag, the next two
    for the Minister's certificate of merit, from the published 2019 results."""
    results = Result.objects.filter(
        evaluation__cluster_year=dossier.cluster_year,
        evaluation__phase=Evaluation.Phase.PUBLISHED,
    ).order_by("rank", "membership__sort_key")[:3]
    for index, result in enumerate(results):
        Proposal.objects.create(
            dossier=dossier,
            membership=result.membership,
            award=Proposal.Award.MINISTRY_FLAG if index == 0 else Proposal.Award.MINISTER_MERIT,
            rank=result.rank,
            total=result.total,
        )


def _load_2019(cluster_year: ClusterYear, admin: User, reviewer: User | None) -> Dossier | None:
    dossier = dossier_create(cluster_year=cluster_year, by=admin)
    Dossier.objects.filter(pk=dossier.pk).update(is_illustrative=True)
    if not dossier.proposals.exists():
        if Ballot.objects.filter(cluster_year=cluster_year, state=Ballot.State.COUNTED).exists():
            return dossier  # counted ballots chose nobody: leave the draft for the secretariat
        _proposals_from_ranking(dossier)
    leader = cluster_year.leader
    dossier = dossier_update(
        dossier=dossier,
        submission_text=SUBMISSION_2019,
        signer_name=leader.head_name if leader else "",
        signer_title="Cụm trưởng",
        by=admin,
    )
    dossier = dossier_assemble_run(
        dossier_id=dossier.pk,
        by_id=admin.pk,
        at=datetime.datetime(2019, 12, 18, 9, 30, tzinfo=VN),
    )
    dossier = dossier_send(
        dossier=dossier, by=admin, at=datetime.datetime(2019, 12, 18, 10, 0, tzinfo=VN)
    )
    if reviewer is not None:
        for proposal in dossier.proposals.all():
            AwardDecision.objects.get_or_create(
                proposal=proposal,
                defaults={
                    "decision": DECISIONS[proposal.award],
                    "reference": "512/QĐ-BNV",
                    "decided_on": datetime.date(2020, 3, 20),
                    "note": "Dữ liệu minh họa.",
                    "recorded_by": reviewer,
                },
            )
    return dossier


def load(stdout=None):
    """The 2019 dossier of the demo cluster, unless the year has one already."""
    cluster_year = (
        ClusterYear.objects.filter(cluster__code="bac-bo", year=2019)
        .select_related("cluster")
        .prefetch_related("memberships__department")
        .first()
    )
    admin = User.objects.filter(username="admin").first()
    if cluster_year is None or admin is None:
        return
    if not Dossier.objects.filter(cluster_year=cluster_year).exists():
        reviewer = User.objects.filter(username="reviewer").first()
        _load_2019(cluster_year, admin, reviewer)
    if stdout:
        stdout.write(
            f"dossiers: {Dossier.objects.count()} dossiers, "
            f"{Proposal.objects.count()} proposals, {AwardDecision.objects.count()} decisions"
        )

"""Prefetches and text helpers shared by the plans selectors, and the loaders of the
clusters and departments that plans pages name in their URLs.

Naming (every plans selectors module): ``<entity>_get(*, ...)`` returns one row with what
its page needs (raises ``<Model>.DoesNotExist``); ``<entity>_list(*, ...)`` returns rows, a
list or a queryset; a qualifier after the suffix says which or for what
(``activity_list_for_export``, ``feed_token_get_live``). A selector that returns something
other than the entity's rows is named for what it returns (``charter_diff``,
``charter_pdf_context``, ``legal_reference_is_frozen``).
"""

from django.db.models import Prefetch

from cluster_portal.documents import decree30_date
from members.models import Membership


def _memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("department").order_by("sort_key"),
    )


def _year_memberships(path: str) -> Prefetch:
    return Prefetch(
        f"{path}memberships",
        queryset=Membership.objects.select_related("department").order_by("sort_key"),
    )


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def _place_and_date(cluster_year, day) -> str:
    """ "Hà Nội, ngày 24 tháng 5 năm 2019": the leader's province and the date (Decree 30)."""
    leader = cluster_year.leader if cluster_year is not None else None
    place = leader.department.province if leader is not None else ""
    when = decree30_date(day) if day else ""
    return ", ".join(part for part in (place, when) if part)

"""The plans app's kinds of to-do items, and the charter consultation's items.

Registered in ``PlansConfig.ready`` with ``members.selectors.register_attention_provider``:
computed from the data (open versions, comments awaiting an answer), never stored.
"""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from members import permissions as member_permissions
from members.selectors import AttentionItem, register_attention_kind
from plans.models import CharterComment, CharterVersion

ACTIVITY_KIND = register_attention_kind(
    "activity-report", gettext_lazy("An activity your department hosts to report on")
)
CONSULTATION_KIND = register_attention_kind(
    "charter-consultation", gettext_lazy("A charter open for comments")
)
COMMENTS_KIND = register_attention_kind(
    "charter-comments", gettext_lazy("Charter comments awaiting an answer")
)
# Also the kind of the covenant's "draft the covenant" item: one preference for both.
NEW_YEAR_KIND = register_attention_kind(
    "new-year", gettext_lazy("Setting up a year your department leads")
)


def charter_attention_items(*, user, cluster_years) -> dict[int, list[AttentionItem]]:
    """The charter consultation, by the year the version was drafted in:

    * a member department's users, while a version is open for comments and their
      department has not commented on it yet: "The charter is open for comments";
    * the secretariat: comments awaiting its answer on the open version.

    Reviewers get none. Two queries whatever the number of years.
    """
    by_year = {cy.pk: cy for cy in cluster_years}
    items: dict[int, list[AttentionItem]] = {pk: [] for pk in by_year}
    if not user.is_authenticated or member_permissions.is_reviewer(user) or not by_year:
        return items
    versions = list(
        CharterVersion.objects.filter(cluster_year_id__in=by_year, state=CharterVersion.State.OPEN)
    )
    if not versions:
        return items
    waiting: dict[int, list[int]] = defaultdict(list)
    commented: set[int] = set()
    for version_id, comment_id, status, department_id in CharterComment.objects.filter(
        article__version__in=versions
    ).values_list("article__version_id", "pk", "status", "department_id"):
        if status == CharterComment.Status.OPEN:
            waiting[version_id].append(comment_id)
        if user.department_id is not None and department_id == user.department_id:
            commented.add(version_id)
    for version in versions:
        cluster_year = by_year[version.cluster_year_id]
        version.cluster_year = cluster_year  # memberships already loaded
        url = version.get_absolute_url()
        if member_permissions.is_secretariat(user, cluster_year):
            if waiting[version.pk]:
                count = len(waiting[version.pk])
                items[cluster_year.pk].append(
                    AttentionItem(
                        ngettext(
                            "%(count)s comment on the charter awaits your answer",
                            "%(count)s comments on the charter await your answer",
                            count,
                        )
                        % {"count": count},
                        url,
                        COMMENTS_KIND,
                        # A new comment is news again; an answered one is not.
                        f"charter-comments:{version.pk}:{max(waiting[version.pk])}",
                    )
                )
            continue
        if version.pk not in commented and any(
            m.department_id == user.department_id for m in cluster_year.memberships.all()
        ):
            opened = version.opened_at
            items[cluster_year.pk].append(
                AttentionItem(
                    _("The charter is open for comments: %(title)s") % {"title": version.title}
                    if opened is None
                    else _("The charter is open for comments since %(date)s: %(title)s")
                    % {"title": version.title, "date": f"{timezone.localtime(opened):%d/%m/%Y}"},
                    url,
                    CONSULTATION_KIND,
                    f"charter-open:{version.pk}",
                )
            )
    return items

"""Reads for the cluster charter: versions, articles, comments, comparisons and the PDF.

Naming (every plans selectors module): ``<entity>_get(*, ...)`` returns one row with what
its page needs (raises ``<Model>.DoesNotExist``); ``<entity>_list(*, ...)`` returns rows, a
list or a queryset; a qualifier after the suffix says which or for what
(``activity_list_for_export``, ``feed_token_get_live``). A selector that returns something
other than the entity's rows is named for what it returns (``charter_diff``,
``charter_pdf_context``, ``legal_reference_is_frozen``).
"""

import datetime
import difflib
import re
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from members.models import Cluster
from plans.models import CharterArticle, CharterComment, CharterVersion
from plans.selectors.common import _paragraphs, _place_and_date, _year_memberships

# Charter


def charter_version_list(*, cluster: Cluster) -> list[CharterVersion]:
    """Every version of the cluster's charter, newest first, with article and comment counts."""
    return list(
        CharterVersion.objects.filter(cluster=cluster)
        .select_related("cluster_year", "adopted_at")
        .annotate(
            article_count=Count("articles", distinct=True),
            comment_count=Count("articles__comments", distinct=True),
        )
        .order_by("-number")
    )


def charter_version_get_in_force(
    versions: list[CharterVersion], *, on: datetime.date | None = None
) -> CharterVersion | None:
    """Of already-loaded versions, the adopted one in force on ``on`` (default today)."""
    on = on or timezone.localdate()
    adopted = [v for v in versions if v.is_adopted and v.adopted_on and v.adopted_on <= on]
    if not adopted:
        return None
    return max(adopted, key=lambda v: (v.adopted_on, v.number))


def charter_version_get(*, pk: int) -> CharterVersion:
    """A version with its articles, their comments (authors, answers) and the year's
    memberships; raises CharterVersion.DoesNotExist."""
    return (
        CharterVersion.objects.select_related(
            "cluster", "cluster_year__cluster", "adopted_at", "based_on"
        )
        .prefetch_related(
            _year_memberships("cluster_year__"),
            Prefetch(
                "articles",
                queryset=CharterArticle.objects.prefetch_related(
                    Prefetch(
                        "comments",
                        queryset=CharterComment.objects.select_related(
                            "author", "department", "answered_by"
                        ),
                    )
                ),
            ),
        )
        .get(pk=pk)
    )


def charter_article_get(*, pk: int) -> CharterArticle:
    """An article with its version, the version's year and memberships."""
    return (
        CharterArticle.objects.select_related("version__cluster", "version__cluster_year")
        .prefetch_related(_year_memberships("version__cluster_year__"))
        .get(pk=pk)
    )


def charter_comment_get(*, pk: int) -> CharterComment:
    """A comment with its article, version, year and memberships."""
    return (
        CharterComment.objects.select_related(
            "article__version__cluster", "article__version__cluster_year", "author"
        )
        .prefetch_related(_year_memberships("article__version__cluster_year__"))
        .get(pk=pk)
    )


def charter_article_next_number(*, version: CharterVersion) -> int:
    """The number a new article gets by default: one after the last."""
    numbers = [a.number for a in version.articles.all()]
    return max(numbers, default=0) + 1


_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class TextPiece:
    """A run of text in a comparison: ``equal``, ``insert`` (new) or ``delete`` (old)."""

    op: str
    text: str


@dataclass(frozen=True)
class ArticleChange:
    """How one article differs between two versions."""

    status: str  # "added", "removed", "changed" or "unchanged"
    old: CharterArticle | None
    new: CharterArticle | None
    renumbered: bool
    heading: list[TextPiece]
    body: list[TextPiece]

    @property
    def number(self) -> int:
        return (self.new or self.old).number


def text_diff(old: str, new: str) -> list[TextPiece]:
    """Word-by-word differences between two texts (whitespace kept)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(TextPiece("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(TextPiece("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(TextPiece("insert", "".join(b[j1:j2])))
    return pieces


def charter_diff(*, old: CharterVersion, new: CharterVersion) -> list[ArticleChange]:
    """What changed from ``old`` to ``new``, article by article (articles loaded already).

    Articles are paired by their identity across versions (``key``), so a renumbered or
    retitled article shows as changed, not as removed and added. New articles come in their
    order; removed ones follow.
    """
    old_by_key = {a.key: a for a in old.articles.all()}
    changes = []
    seen = set()
    for article in new.articles.all():
        before = old_by_key.get(article.key)
        if before is None:
            changes.append(
                ArticleChange(
                    "added",
                    None,
                    article,
                    False,
                    [TextPiece("insert", article.heading)],
                    [TextPiece("insert", article.body)],
                )
            )
            continue
        seen.add(article.key)
        same = before.heading == article.heading and before.body == article.body
        changes.append(
            ArticleChange(
                "unchanged" if same and before.number == article.number else "changed",
                before,
                article,
                before.number != article.number,
                text_diff(before.heading, article.heading),
                text_diff(before.body, article.body),
            )
        )
    for article in old.articles.all():
        if article.key not in seen:
            changes.append(
                ArticleChange(
                    "removed",
                    article,
                    None,
                    False,
                    [TextPiece("delete", article.heading)],
                    [TextPiece("delete", article.body)],
                )
            )
    return changes


def charter_pdf_context(*, version: CharterVersion) -> dict:
    """What the charter PDF shows; a draft (watermark) until the version is adopted."""
    cluster_year = version.cluster_year
    for article in version.articles.all():
        article.paragraphs = _paragraphs(article.body)
    return {
        "version": version,
        "cluster": version.cluster,
        "preamble_paragraphs": _paragraphs(version.preamble),
        "place_and_date": _place_and_date(cluster_year, version.adopted_on),
        "leader": cluster_year.leader if cluster_year is not None else None,
        "is_final": version.state == CharterVersion.State.ADOPTED,
    }


def charter_version_get_for_form(*, pk: int) -> CharterVersion:
    """A version alone, as a fresh copy a model form may write the posted values on (the
    page keeps its own); raises CharterVersion.DoesNotExist."""
    return CharterVersion.objects.get(pk=pk)


def charter_version_list_to_compare(*, version: CharterVersion) -> QuerySet[CharterVersion]:
    """The cluster's other versions, newest first: what ``version`` may be compared with."""
    return (
        CharterVersion.objects.filter(cluster=version.cluster)
        .exclude(pk=version.pk)
        .order_by("-number")
    )


def charter_version_get_compared_by_default(*, version: CharterVersion) -> CharterVersion | None:
    """What ``version`` is compared with when the user has not chosen: the version it was
    based on, otherwise the latest older one (None for the first version)."""
    if version.based_on is not None:
        return version.based_on
    return (
        charter_version_list_to_compare(version=version).filter(number__lt=version.number).first()
    )

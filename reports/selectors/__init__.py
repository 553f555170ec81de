"""Reads for the reports, one module per concept (re-exported here), already scoped to what
the user may see.

Reviewers and site admins see every cluster; the secretariat and members see their own
clusters (``members.selectors.clusters_visible_to``). Every selector costs a fixed number of
queries whatever the number of clusters, years, departments or activities: related rows come
with ``select_related``/``prefetch_related`` and signatures are counted by the database.

Naming (as in every app's ``selectors.py``, see ``members.selectors``): ``<entity>_get(*,
keys)`` loads one object by its URL keys and raises ``DoesNotExist``; plural names return
several; ``<entity>_<what>`` computes one thing about an entity.
"""

from reports.selectors.cluster_year import (
    ClusterYearReport,
    MembershipChange,
    cluster_year_get,
    cluster_year_report,
    membership_changes,
)
from reports.selectors.common import (
    NEXT_ACTIVITIES,
    NO_COVENANT,
    RoleHolder,
    YearFigures,
)
from reports.selectors.history import (
    ClusterHistory,
    DepartmentYear,
    cluster_history,
    department_get,
    department_history,
)
from reports.selectors.overview import (
    Overview,
    monthly_chart,
    overview,
    overview_cache_key,
    progress_chart,
    signing_chart,
)

__all__ = [
    "NEXT_ACTIVITIES",
    "NO_COVENANT",
    "ClusterHistory",
    "ClusterYearReport",
    "DepartmentYear",
    "MembershipChange",
    "Overview",
    "RoleHolder",
    "YearFigures",
    "cluster_history",
    "cluster_year_get",
    "cluster_year_report",
    "department_get",
    "department_history",
    "membership_changes",
    "monthly_chart",
    "overview",
    "overview_cache_key",
    "progress_chart",
    "signing_chart",
]

"""The portal's settings with the benchmarks' URLs (the minimal view); used by the load run."""

from cluster_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

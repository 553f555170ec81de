"""The portal's settings with the benchmarks' URLs (the minimal view); used by the load run.

The load run gives its app servers one Redis cache through ``REDIS_URL``. Where the portal's
own settings already choose Redis from that variable, they are used as they are; otherwise
(a portal without that setting) the same choice is made here, so that the run's servers
share one cache either way.
"""

import os

from cluster_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

_REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
if os.environ.get("REDIS_URL", "").strip() and (
    globals().get("CACHES", {}).get("default", {}).get("BACKEND") != _REDIS_BACKEND
):
    CACHES = {"default": {"BACKEND": _REDIS_BACKEND, "LOCATION": os.environ["REDIS_URL"].strip()}}

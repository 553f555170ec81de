"""The load run's settings (bench/settings.py): its app servers share one Redis cache."""

from tests.helpers import setting_in_process

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


def test_the_load_runs_servers_use_the_redis_cache_named_by_redis_url():
    caches = setting_in_process("bench.settings", "CACHES", REDIS_URL="redis://127.0.0.1:6390/0")
    assert caches["default"]["BACKEND"] == REDIS_BACKEND
    assert caches["default"]["LOCATION"] == "redis://127.0.0.1:6390/0"


def test_without_redis_url_the_load_runs_servers_keep_the_portals_own_cache():
    caches = setting_in_process("bench.settings", "CACHES", REDIS_URL="")
    portal = setting_in_process("cluster_portal.settings", "CACHES", REDIS_URL="")
    assert caches == portal
    assert caches["default"]["BACKEND"] != REDIS_BACKEND

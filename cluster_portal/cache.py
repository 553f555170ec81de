"""The version of the portal's data, for keys of cached pages shared by every app server.

A page computed from the data (the reports overview) is cached under a key that contains
``data_version()``: a random token kept in the shared cache (settings.CACHES) and replaced
after every committed write that may change such a page. Nothing is ever invalidated by hand
and no two data sets share a key, since a token is never reused; an entry under an old token
is simply never read again and expires.

The token is replaced on commit (never inside the writing transaction: with the database
cache that would lock its row until the commit, and with Redis a reader could cache the old
data under the new token):

* by ``audit_record`` for every audited action other than logging in and out: every service
  writes one, including those that change rows with ``QuerySet.update()``;
* by ``post_save``/``post_delete``/``m2m_changed`` of the models that apps register with
  ``register_versioned_models`` (``ReportsConfig.ready``), so that edits made around the
  services (the Django admin, a shell) count too.

A cache that fails (Redis down) is logged and pages are computed without it.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

VERSION_KEY = "cluster_portal:data-version"


def _new_token() -> str:
    return secrets.token_hex(8)


def data_version() -> str | None:
    """The current version token; None when the cache does not work (then cache nothing).

    A token lost from the cache (eviction, restart, ``cache.clear()``) is replaced by a new
    random one, never by an earlier value, so no entry cached before the loss is read again.
    """
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, _new_token(), None)
            version = cache.get(VERSION_KEY)
    except Exception:  # any backend's error: the page is computed, not served from the cache
        logger.warning("The cache does not answer; pages are computed without it.", exc_info=True)
        return None
    return version


def _replace_version() -> None:
    try:
        cache.set(VERSION_KEY, _new_token(), None)
    except Exception:
        # Cached pages could now be out of date: say so loudly, they expire within minutes.
        logger.error("The data version could not be changed in the cache.", exc_info=True)


def data_changed() -> None:
    """Say that the data changed: the version is replaced when the transaction commits (at
    once outside a transaction), and not at all if it rolls back. Once per transaction: any
    replacement already waiting is enough.

    A waiting replacement runs on commit unless a savepoint it was queued in rolls back
    (which drops it). Those savepoints are either still open, and then this point is inside
    them too (savepoints nest), or released, and then they can no longer roll back on their
    own. So a service that writes in one savepoint (a row) and then in another (its audit
    event) replaces the version once, not twice."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        callback is _replace_version for _savepoints, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_replace_version, robust=True)


def _saved(sender, update_fields=None, **kwargs):
    ignored = _IGNORED_FIELDS.get(sender, frozenset())
    if update_fields and ignored and set(update_fields) <= ignored:
        return
    data_changed()


def _changed(sender, **kwargs):
    data_changed()


def _m2m_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        data_changed()


_IGNORED_FIELDS: dict[type, frozenset[str]] = {}


def register_versioned_models(*models, ignore_fields: dict | None = None) -> None:
    """Replace the data version on every save and delete of ``models`` (for m2m through
    models, on every change of the relation). ``ignore_fields`` maps a model to fields whose
    saves alone change nothing shown (a user's ``last_login``). Call from ``AppConfig.ready``."""
    for model, fields in (ignore_fields or {}).items():
        _IGNORED_FIELDS[model] = frozenset(fields)
    for model in models:
        uid = f"cluster_portal.cache:{model._meta.label_lower}"
        if model._meta.auto_created:  # a ManyToManyField's through model
            m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=uid)
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)


def cache_get(key: str):
    """``cache.get(key)``, or None (a miss) when the cache fails."""
    try:
        return cache.get(key)
    except Exception:
        logger.warning("The cache does not answer; the page is computed.", exc_info=True)
        return None


def cache_set(key: str, value, timeout: int) -> None:
    """``cache.set(...)``; a failing cache is logged, not raised."""
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("The cache does not answer; the page is not kept.", exc_info=True)

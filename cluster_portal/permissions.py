"""The one mixin that enforces object permissions in views.

Each app states its rules as predicates in `<app>/permissions.py` (``can_view_cluster(user,
cluster)`` and so on). Views name the predicate; templates call the same predicates through
the ``allowed`` tag of the ``portal`` tags, which finds them in the registry below; services
check them again before writing.
"""

import inspect
import re
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.http import Http404


class ObjectPermissionMixin:
    """Refuse the request unless the user may see the object and ``permission`` holds.

    Two answers, so that nobody learns which ids exist where they may not look:

    * ``view_permission(user, obj)`` false: the user may not see the object at all (another
      cluster's, a year their department was not a member of): **404**, as if it did not
      exist;
    * ``permission(user, obj)`` false: they see it but may not do this (a member opening
      the secretariat's form): **403**.

    A view without a ``view_permission`` treats ``permission`` as its visibility rule, so a
    refusal is 404: the safe default for a view that forgets to say. Views declare the two
    on their base mixin (``view_permission = can_view_covenant``) and override only
    ``permission`` per action.

    Login itself is enforced for every view by ``LoginRequiredMiddleware``. The object is
    ``get_permission_object()``, by default ``get_object()``, which calls ``load_object()``
    once per request and keeps the result, so the view does not load it twice.

    The object-loading hook: a view that loads its object from the URL in its own way
    overrides ``load_object()`` (typically one selector call), never ``get_object()``. A
    ``DoesNotExist`` raised by the loader is a 404, like a missing object.
    """

    permission: Callable[[Any, Any], bool]
    view_permission: Callable[[Any, Any], bool] | None = None

    def get_permission_object(self):
        return self.get_object()

    def load_object(self):
        """Load the view's object from the URL; by default the generic view's ``get_object``."""
        return super().get_object()

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            try:
                self._permission_object = self.load_object()
            except ObjectDoesNotExist as exc:
                raise Http404 from exc
        return self._permission_object

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            obj = self.get_permission_object()
            may_see = type(self).view_permission
            if may_see is not None and not may_see(request.user, obj):
                raise Http404
            if not type(self).permission(request.user, obj):
                if may_see is None:
                    raise Http404
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# The registry of permission predicates that templates may name (``{% allowed "can_x" obj %}``).
# Filled at start-up from every installed app's ``permissions`` module; the system check
# ``check_template_predicates`` reports a template naming an unknown predicate, so a typo
# stops ``runserver``, ``migrate`` and ``check`` instead of breaking a page when it renders.
_PREDICATES: dict[str, Callable] = {}

# ``{% allowed "name" ... %}`` in a template.
ALLOWED_TAG = re.compile(r"""\{%\s*allowed\s+["']([A-Za-z_][A-Za-z0-9_]*)["']""")


def register_predicates(module) -> None:
    """Register the public functions defined in ``module`` (an app's ``permissions``).

    Functions imported from another app's module are that app's to register. Raises
    ImproperlyConfigured when two apps define a predicate of the same name.
    """
    for name, value in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(value):
            continue
        if value.__module__ != module.__name__:
            continue
        known = _PREDICATES.get(name)
        if known is not None and known is not value:
            raise ImproperlyConfigured(f"Two apps define the permission predicate {name!r}.")
        _PREDICATES[name] = value


def register_app_predicates() -> None:
    """Register the ``permissions`` module of every project app that has one (not of the
    third-party apps: their names are not the portal's vocabulary)."""
    for app_config in apps.get_app_configs():
        if app_config.name == "cluster_portal" or not Path(app_config.path).is_relative_to(
            Path(settings.BASE_DIR)
        ):
            continue
        module_name = f"{app_config.name}.permissions"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        register_predicates(module)


def predicate(name: str) -> Callable:
    """The registered predicate ``name``; raises KeyError for an unknown one."""
    return _PREDICATES[name]


def check_template_predicates(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: every ``{% allowed "name" %}`` in a template names a registered predicate."""
    errors = []
    for path in _template_files():
        for match in ALLOWED_TAG.finditer(path.read_text(encoding="utf-8")):
            if match.group(1) not in _PREDICATES:
                errors.append(
                    checks.Error(
                        f"{path} names the permission predicate {match.group(1)!r}, "
                        "which no app's permissions module defines.",
                        hint="Fix the name, or define the predicate in <app>/permissions.py.",
                        id="cluster_portal.E010",
                    )
                )
    return errors


def _template_files():
    directories = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    directories += [Path(c.path) / "templates" for c in apps.get_app_configs()]
    for directory in directories:
        if directory.is_dir():
            yield from sorted(directory.rglob("*.html"))

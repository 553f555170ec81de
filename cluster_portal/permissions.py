"""The one mixin that enforces object permissions in views.

Each app states its rules as predicates in `<app>/permissions.py` (``can_view_cluster(user,
cluster)`` and so on). Views name the predicate; templates call the same predicates through
the ``portal`` template tags; services check them again before writing.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
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

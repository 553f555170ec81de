"""The one mixin that enforces object permissions in views.

Each app states its rules as predicates in `<app>/permissions.py` (``can_view_cluster(user,
cluster)`` and so on). Views name the predicate; templates call the same predicates through
the ``portal`` template tags; services check them again before writing.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied


class ObjectPermissionMixin:
    """Refuse the request with 403 unless ``permission(user, obj)`` holds.

    Login itself is enforced for every view by ``LoginRequiredMiddleware``. The object is
    ``get_permission_object()``, by default ``get_object()``; it is cached so the view does
    not load it twice.
    """

    permission: Callable[[Any, Any], bool]

    def get_permission_object(self):
        return self.get_object()

    def get_object(self, queryset=None):
        if not hasattr(self, "_permission_object"):
            self._permission_object = super().get_object(queryset)
        return self._permission_object

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            obj = self.get_permission_object()
            if not type(self).permission(request.user, obj):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

"""Template helpers shared by every app.

``{% allowed "can_manage_cluster_year" cluster_year as can_manage %}`` calls the named
permission predicate, so templates show exactly the buttons the views will accept.
"""

from importlib import import_module

from django import template

from cluster_portal.audit import action_label

register = template.Library()

# Apps whose permissions module holds predicates; searched in this order.
PREDICATE_MODULES = ("members.permissions", "plans.permissions", "agreements.permissions")


def _predicate(name: str):
    for module_name in PREDICATE_MODULES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        predicate = getattr(module, name, None)
        if callable(predicate):
            return predicate
    raise template.TemplateSyntaxError(f"Unknown permission predicate: {name}")


@register.simple_tag(takes_context=True)
def allowed(context, name, obj=None):
    """True if the current user passes the permission predicate ``name`` for ``obj``."""
    user = context["request"].user
    predicate = _predicate(name)
    return predicate(user) if obj is None else predicate(user, obj)


@register.filter
def audit_label(action):
    """An audit action code as its label from the apps' registered ``TextChoices``."""
    return action_label(action)

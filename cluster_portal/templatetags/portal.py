"""Template helpers shared by every app.

``{% allowed "can_manage_cluster_year" cluster_year as can_manage %}`` calls the named
permission predicate from the registry in ``cluster_portal.permissions`` (a name no app
defines fails the start-up system check), so templates show exactly the buttons the views
will accept.
"""

from django import template

from cluster_portal import permissions
from cluster_portal.audit import action_label, target_type_label
from cluster_portal.useragent import browser_label

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, name, obj=None):
    """True if the current user passes the permission predicate ``name`` for ``obj``."""
    user = context["request"].user
    try:
        predicate = permissions.predicate(name)
    except KeyError as exc:
        # The start-up check (cluster_portal.E010) reports this before any page renders.
        raise template.TemplateSyntaxError(f"Unknown permission predicate: {name}") from exc
    return predicate(user) if obj is None else predicate(user, obj)


@register.filter
def audit_label(action):
    """An audit action code as its label from the apps' registered ``TextChoices``."""
    return action_label(action)


@register.filter
def browser(user_agent):
    """A user-agent string in plain words: "Chrome on Android"."""
    return browser_label(user_agent)


@register.filter
def audit_target_type(label):
    """An audit event's target type ("agreements.covenant") as the model's name."""
    return target_type_label(label)


@register.filter
def webcal(url):
    """A calendar feed's http(s) address as a ``webcal://`` one, which opens the visitor's
    calendar application to subscribe in one click (it fetches the feed over HTTP(S))."""
    url = str(url)
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme) :]
    return url

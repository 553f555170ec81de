"""Password re-checks outside the login page (signing, changing the password), throttled
like logins and counted under a lock, so that parallel requests cannot outrun the limit.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.audit import AuthAction, RequestMeta, audit_record
from cluster_portal.models import AuditEvent

WRONG_PASSWORD = "wrong_password"  # noqa: S105 (a refusal code, not a password)
TOO_MANY_ATTEMPTS = "too_many_attempts"


def _recent_wrong_passwords(user) -> int:
    """Wrong passwords recorded by ``password_recheck`` for ``user`` within the cool-off,
    whatever asked (signing, declining, changing the password): they share one budget."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AuditEvent.objects.filter(
        actor=user, details__reason=WRONG_PASSWORD, created_at__gte=since
    ).count()


def password_recheck_locked_until(user) -> datetime.datetime | None:
    """When ``password_recheck`` lets ``user`` try again; None when it does now.

    The budget is a rolling window: AXES_FAILURE_LIMIT wrong passwords within
    AXES_COOLOFF_TIME. The lock ends when the oldest wrong password that still keeps the
    count at the limit leaves the window.
    """
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    times = list(
        AuditEvent.objects.filter(actor=user, details__reason=WRONG_PASSWORD, created_at__gte=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: settings.AXES_FAILURE_LIMIT]
    )
    if len(times) < settings.AXES_FAILURE_LIMIT:
        return None
    return times[-1] + settings.AXES_COOLOFF_TIME


def until_text(moment: datetime.datetime) -> str:
    """``moment`` as a user reads it: "HH:MM" in the portal's zone, with the date when it
    is not today there."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return local.strftime("%H:%M %d/%m/%Y")


def too_many_attempts_message(user) -> str:
    """The refusal shown once ``password_recheck`` answers ``"too_many_attempts"``: it says
    until when (GMT+7)."""
    until = password_recheck_locked_until(user) or (timezone.now() + settings.AXES_COOLOFF_TIME)
    return _("Too many wrong passwords: locked until %(time)s (GMT+7).") % {
        "time": until_text(until)
    }


def password_recheck(
    *, user, password: str, refused_action: str, target, meta: RequestMeta | None = None
) -> str | None:
    """Check ``user``'s ``password`` again; None when right, else why it was refused.

    Returns ``"too_many_attempts"`` without looking at the password once the user has had
    AXES_FAILURE_LIMIT wrong passwords within AXES_COOLOFF_TIME, and ``"wrong_password"``
    after recording a ``refused_action`` event against ``target`` (committed, even when the
    caller then fails). Checks for one user run one at a time (a lock on the user's row),
    so simultaneous requests are counted one after another and at most the limit of wrong
    passwords is ever tried.
    """
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        if _recent_wrong_passwords(user) >= settings.AXES_FAILURE_LIMIT:
            return TOO_MANY_ATTEMPTS
        if password and user.check_password(password):
            return None
        audit_record(
            actor=user,
            action=refused_action,
            target=target,
            details={"reason": WRONG_PASSWORD},
            meta=meta,
        )
        return WRONG_PASSWORD


def confirmed_password_check(
    *,
    user,
    password: str,
    confirmed: bool,
    refused_action: str,
    target,
    meta: RequestMeta | None,
    confirm_message: str,
) -> None:
    """The confirmation tick and the password of an act done for a department (signing,
    submitting a self-assessment, voting). Raises ``ValidationError`` on the ``confirm``
    field (code ``not_confirmed``, with ``confirm_message``) or on the ``password`` field
    (``wrong_password``, recorded as ``refused_action`` on ``target`` by
    ``password_recheck``; or ``too_many_attempts``, saying until when)."""
    if not confirmed:
        raise ValidationError({"confirm": ValidationError(confirm_message, code="not_confirmed")})
    refused = password_recheck(
        user=user, password=password, refused_action=refused_action, target=target, meta=meta
    )
    if refused == TOO_MANY_ATTEMPTS:
        raise ValidationError(
            {"password": ValidationError(too_many_attempts_message(user), code=TOO_MANY_ATTEMPTS)}
        )
    if refused == WRONG_PASSWORD:
        raise ValidationError(
            {"password": ValidationError(_("The password is not correct."), code=WRONG_PASSWORD)}
        )


def login_locked_until(request, credentials=None) -> datetime.datetime:
    """When django-axes lets this login (user name and address) try again: the cool-off
    counts from the last failed attempt, which axes stores as the attempt's time."""
    from axes.handlers.proxy import AxesProxyHandler

    handler = AxesProxyHandler.get_implementation()
    last = None
    if hasattr(handler, "get_user_attempts"):
        for attempts in handler.get_user_attempts(request, credentials):
            for attempt_time in attempts.values_list("attempt_time", flat=True):
                last = attempt_time if last is None else max(last, attempt_time)
    return (last or timezone.now()) + settings.AXES_COOLOFF_TIME


def lockout_response(request, original_response=None, credentials=None):
    """The login lock-out page (AXES_LOCKOUT_CALLABLE): axes's own context, and until when
    the lock lasts, in the portal's zone."""
    from axes.helpers import get_client_username, get_failure_limit

    until = login_locked_until(request, credentials)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_timedelta": settings.AXES_COOLOFF_TIME,
        "locked_until": until,
        "locked_until_text": until_text(until),
    }
    return render(
        request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


# Logging in and out, recorded in the audit trail with the client address. Connected in
# ClusterPortalConfig.ready(). Failed logins keep the attempted user name, never the password.


def _meta(request) -> RequestMeta:
    return RequestMeta.from_request(request) if request is not None else RequestMeta()


def _user_named(username: str):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def record_login(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuthAction.LOGIN, target=user, meta=_meta(request))


def record_logout(sender, request, user, **kwargs):
    if user is None or not user.is_authenticated:
        return  # logging out without a session changes nothing
    audit_record(actor=user, action=AuthAction.LOGOUT, target=user, meta=_meta(request))


def record_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get(get_user_model().USERNAME_FIELD, "") or "")[:150]
    audit_record(
        actor=None,
        action=AuthAction.LOGIN_FAILED,
        target=_user_named(username),
        details={"username": username},
        meta=_meta(request),
    )


def record_locked_out(sender, request, username, ip_address=None, **kwargs):
    username = str(username or "")[:150]
    audit_record(
        actor=None,
        action=AuthAction.LOCKED_OUT,
        target=_user_named(username),
        details={"username": username},
        meta=_meta(request),
    )


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth import signals

    signals.user_logged_in.connect(record_login, dispatch_uid="audit-login")
    signals.user_logged_out.connect(record_logout, dispatch_uid="audit-logout")
    signals.user_login_failed.connect(record_login_failed, dispatch_uid="audit-login-failed")
    user_locked_out.connect(record_locked_out, dispatch_uid="audit-locked-out")

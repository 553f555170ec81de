"""Cross-cutting middleware."""

import re
import uuid

from django.core.exceptions import PermissionDenied

from cluster_portal.log import request_id_var


class RequestIdMiddleware:
    """Give every request an id, for its log lines and its ``X-Request-ID`` response header.

    The reverse proxy's ``X-Request-ID`` is kept when it is a sane token (so a request can be
    followed from the proxy's log to ours); anything else is replaced by a fresh random id.
    """

    HEADER = "X-Request-ID"
    SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(self.HEADER, "")
        request_id = incoming if self.SANE.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[self.HEADER] = request_id
        return response


class DefaultLanguageMiddleware:
    """Serve Vietnamese unless the user chose another language with the switch.

    Officials often use browsers set to English; the portal still speaks Vietnamese to them
    until they pick English themselves (the choice is kept in the language cookie). Placed
    before ``LocaleMiddleware``, it hides the browser's Accept-Language header from it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class ReviewerReadOnlyMiddleware:
    """Ministry reviewers change nothing: every state-changing request of theirs gets 403.

    Each view checks its own permission too; this is the guarantee that a new endpoint
    cannot forget it. Reviewers may still log out, switch language, change their password,
    check a PDF on the verification page (which stores only its per-user rate-limit count),
    and mark their own notifications read or choose which of them reach them by e-mail.
    The one place they write is the Ministry council's award decisions, whose view refuses
    reviewers without the ``dossiers.record_award_decision`` permission.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
    ALLOWED_VIEW_NAMES = frozenset(
        {
            "logout",
            "set_language",
            "password_change",
            "login",
            "agreements:pdf-verify",
            # Their own notifications and e-mail preferences.
            "members:notification-read",
            "members:notification-read-all",
            "members:profile",
            # The Ministry council's award decisions: the view requires the
            # dossiers.record_award_decision permission (reviewers without it get 403).
            "dossiers:decision-record",
            # The Ministry returns a dossier (reviewers holding dossiers.record_award_decision;
            # the view refuses the others).
            "dossiers:dossier-return",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in self.SAFE_METHODS:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "is_reviewer", False):
            return None
        match = request.resolver_match
        if match and match.view_name in self.ALLOWED_VIEW_NAMES:
            return None
        raise PermissionDenied

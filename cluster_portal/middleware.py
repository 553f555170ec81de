"""Cross-cutting middleware."""

from django.core.exceptions import PermissionDenied


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
    cannot forget it. Reviewers may still log out, switch language, change their password
    and check a PDF on the verification page (which stores nothing).
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
    ALLOWED_VIEW_NAMES = frozenset(
        {"logout", "set_language", "password_change", "login", "agreements:pdf-verify"}
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

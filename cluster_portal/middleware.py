"""Cross-cutting middleware."""


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

"""Template context for every page: the bell's count of unread notifications."""

from django.utils.functional import SimpleLazyObject


def notifications(request):
    """``unread_notifications``: counted (one query) only when a page shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from members.notifications import notification_unread_count

        return notification_unread_count(user=user)

    return {"unread_notifications": SimpleLazyObject(count)}

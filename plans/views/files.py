"""Pages for files: attaching documents and photos, and serving them to those who may see them."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from cluster_portal.http import download_name, file_response
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import ServiceFormMixin
from plans import permissions, selectors, services
from plans.forms import AttachmentForm, PhotoForm
from plans.models import Attachment
from plans.views.base import FormPageMixin, _filesize_limit
from plans.views.news import NewsPostMixin
from plans.views.work_plans import ActivityMixin


class AttachmentAddView(ActivityMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Attach a document or the scan of the signed minutes to an activity."""

    permission = staticmethod(permissions.can_add_activity_files)
    form_class = AttachmentForm
    multipart = True
    submit_label = gettext_lazy("Upload")
    success_message = gettext_lazy("The file has been attached.")

    def get_page_title(self):
        return _("Attach a file")

    @property
    def intro(self):
        return _(
            "Documents: PDF, JPEG, PNG or WebP images, Word or Excel (.docx, .xlsx). Signed "
            "minutes (conferences only): PDF or image. Files are checked by their content; "
            "the limit is %(limit)s."
        ) % {"limit": _filesize_limit()}

    def get_initial(self):
        purpose = self.request.GET.get("purpose")
        return {"purpose": purpose} if purpose in Attachment.Purpose.values else {}

    def perform(self, form):
        data = form.cleaned_data
        services.attachment_add(
            activity=self.get_object(),
            upload=data["file"],
            title=data["title"],
            purpose=data["purpose"],
            by=self.request.user,
        )
        return self.get_object()


class ActivityPhotoAddView(ActivityMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Add a photo with its caption to an activity."""

    permission = staticmethod(permissions.can_add_activity_files)
    form_class = PhotoForm
    multipart = True
    submit_label = gettext_lazy("Upload")
    success_message = gettext_lazy("The photo has been added.")

    def get_page_title(self):
        return _("Add a photo")

    @property
    def intro(self):
        return _(
            "JPEG, PNG or WebP images only, checked by their content; the limit is %(limit)s."
        ) % {"limit": _filesize_limit()}

    def perform(self, form):
        services.photo_add(
            activity=self.get_object(),
            upload=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            by=self.request.user,
        )
        return self.get_object()


class AttachmentFileView(ObjectPermissionMixin, View):
    """An attachment's file, for those who may see its activity."""

    permission = staticmethod(permissions.can_view_attachment)

    def load_object(self):
        return selectors.attachment_get(pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        attachment = self.get_object()
        if attachment.purpose == Attachment.Purpose.MINUTES:
            stem = f"bien-ban-hoi-nghi-{attachment.activity.title}"
        else:
            stem = f"tai-lieu-{attachment.pk}-{attachment.title or attachment.activity.title}"
        return file_response(
            attachment.file,
            content_type=attachment.content_type,
            filename=download_name(stem, attachment.content_type),
        )


class PhotoFileView(ObjectPermissionMixin, View):
    """A photo of an activity or a news post, for those who may see it."""

    permission = staticmethod(permissions.can_view_photo)

    def load_object(self):
        return selectors.photo_get(pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        photo = self.get_object()
        return file_response(
            photo.image,
            content_type=photo.content_type,
            filename=download_name(f"anh-{photo.pk}", photo.content_type),
        )


class NewsPhotoFileView(PhotoFileView):
    """A published news post's photo: public, like the post (the URL of news pages)."""

    permission = staticmethod(permissions.can_view_news_photo)

    def dispatch(self, request, *args, **kwargs):
        # Public: refuse with 404 whatever is not a published post's photo, logged in or not.
        if not type(self).permission(request.user, self.get_object()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class NewsPhotoAddView(NewsPostMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Add a photo with its caption to a news post."""

    form_class = PhotoForm
    multipart = True
    submit_label = gettext_lazy("Upload")
    success_message = gettext_lazy("The photo has been added.")

    def get_page_title(self):
        return _("Add a photo")

    def perform(self, form):
        services.photo_add(
            news_post=self.get_object(),
            upload=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            by=self.request.user,
        )
        return self.get_object()

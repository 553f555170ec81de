"""Pages of legal references."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from cluster_portal.http import download_name, file_response
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import ServiceFormMixin
from members.permissions import is_site_admin
from plans import permissions, selectors, services
from plans.forms import LegalReferenceForm
from plans.models import LegalReference
from plans.views.base import FormPageMixin

# Legal references


class LegalReferenceListView(ObjectPermissionMixin, ListView):
    """The legal references the user may read: site-wide ones and their clusters'."""

    permission = staticmethod(permissions.can_view_legal_reference)
    template_name = "plans/legal_references/legalreference_list.html"
    context_object_name = "references"

    def get_permission_object(self):
        return None

    def get_queryset(self):
        return selectors.legal_reference_list_visible(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = permissions.can_manage_legal_references(self.request.user)
        return context


class LegalReferenceMixin(ObjectPermissionMixin):
    """The reference named by the URL, with its cluster; 404 for another cluster's."""

    view_permission = staticmethod(permissions.can_view_legal_reference)
    permission = staticmethod(permissions.can_view_legal_reference)

    def load_object(self):
        return selectors.legal_reference_get(pk=self.kwargs["pk"])


class LegalReferenceDetailView(LegalReferenceMixin, DetailView):
    """A legal reference and the plans (that the user may read) citing it."""

    template_name = "plans/legal_references/legalreference_detail.html"
    context_object_name = "reference"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, reference = self.request.user, self.object
        can_edit = permissions.can_edit_legal_reference(user, reference)
        frozen = can_edit and selectors.legal_reference_is_frozen(reference=reference)
        context.update(
            citing_plans=selectors.work_plan_list_citing(reference=reference, user=user),
            can_edit=can_edit and not frozen,
            # A frozen reference is corrected by a new one, prefilled from it.
            can_copy=frozen or (not can_edit and permissions.can_manage_legal_references(user)),
            frozen=frozen,
        )
        return context


class LegalReferenceFormMixin(FormPageMixin, ServiceFormMixin):
    form_class = LegalReferenceForm
    multipart = True
    success_message = gettext_lazy("The legal reference has been saved.")

    def get_cancel_url(self):
        return reverse("plans:legalreference-list")

    def get_breadcrumbs(self):
        return [(_("Legal references"), reverse("plans:legalreference-list"))]

    def save(self, fields, data):
        raise NotImplementedError

    def perform(self, form):
        data = form.cleaned_data
        fields = {
            "kind": data["kind"],
            "number": data["number"],
            "issued_on": data["issued_on"],
            "issuer": data["issuer"],
            "title": data["title"],
            "upload": data["upload"],
            "by": self.request.user,
        }
        return self.save(fields, data)


class LegalReferenceCreateView(ObjectPermissionMixin, LegalReferenceFormMixin, FormView):
    """Add a legal reference for one's cluster (secretariats of open years) or for any
    cluster or the whole site (site admins); ``?from=<pk>`` starts from a reference the
    user may read, as a corrected copy of it."""

    view_permission = staticmethod(permissions.is_logged_in)

    @staticmethod
    def permission(user, _obj):
        return permissions.can_manage_legal_references(user)

    def get_permission_object(self):
        return None

    def get_page_title(self):
        if self.get_source() is not None:
            return _("Corrected copy of a legal reference")
        return _("New legal reference")

    def get_source(self) -> LegalReference | None:
        """The reference this one corrects (``?from=``), if the user may read it."""
        if not hasattr(self, "_source"):
            self._source = None
            pk = self.request.GET.get("from", "")
            if pk.isdigit():
                try:
                    source = selectors.legal_reference_get(pk=int(pk))
                except LegalReference.DoesNotExist:
                    source = None
                if source is not None and permissions.can_view_legal_reference(
                    self.request.user, source
                ):
                    self._source = source
        return self._source

    def get_initial(self):
        source = self.get_source()
        if source is None:
            return super().get_initial()
        return {
            "kind": source.kind,
            "number": source.number,
            "issued_on": source.issued_on,
            "issuer": source.issuer,
            "title": source.title,
        }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["clusters"] = selectors.legal_reference_owner_list(user=user)
        kwargs["site_wide"] = is_site_admin(user)
        return kwargs

    def save(self, fields, data):
        return services.legal_reference_create(
            **fields, cluster=data.get("cluster"), corrects=self.get_source()
        )


class LegalReferenceUpdateView(LegalReferenceMixin, LegalReferenceFormMixin, FormView):
    """Correct a legal reference or replace its file (refused once it is frozen)."""

    permission = staticmethod(permissions.can_edit_legal_reference)

    def get_page_title(self):
        return _("Edit the legal reference")

    @property
    def intro(self):
        # Said up front, not only after a refused save.
        if selectors.legal_reference_is_frozen(reference=self.get_object()):
            return _(
                "A closed year or a signed covenant version cites this reference, so it no "
                "longer changes. To correct it, create a corrected copy and cite that instead."
            )
        return ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy of its own: the model form writes the posted values on its instance.
        kwargs["instance"] = selectors.legal_reference_get(pk=self.get_object().pk)
        return kwargs

    def save(self, fields, data):
        return services.legal_reference_update(reference=self.get_object(), **fields)


class LegalReferenceFileView(LegalReferenceMixin, View):
    """A legal reference's file (whoever may read the reference)."""

    def get(self, request, *args, **kwargs):
        reference = self.get_object()
        if not reference.file:
            raise Http404
        # A file stored before types were kept and not recognised since: a plain download.
        content_type = reference.content_type or "application/octet-stream"
        return file_response(
            reference.file,
            content_type=content_type,
            filename=download_name(f"{reference.kind} {reference.number}", content_type),
        )

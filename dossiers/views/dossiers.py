"""Pages of the award dossier: the year's versions, one dossier, and one page per act
(start, edit the texts, attachments, proposals, issue, send, return, new version) with a
confirmation step for the irreversible ones; the ZIP and each document as downloads.

Thin: each action validates a form, calls one service and redirects. Permissions: see
``dossiers.permissions`` (404 for whoever may not see the dossier, 403 for an act they may
not do). Reviewers POST only to ``dossier-return`` (with the permission).
"""

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from cluster_portal.http import download_name, file_response
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import FormPageMixin, ServiceFormMixin
from dossiers import permissions
from dossiers.forms.dossiers import AttachmentForm, DossierTextsForm, ReturnForm
from dossiers.models import Dossier, DossierDocument
from dossiers.selectors import dossiers as selectors
from dossiers.services import dossiers as services
from members import permissions as member_permissions
from members.selectors import cluster_year_get


def list_url(cluster_year) -> str:
    return reverse(
        "dossiers:dossier-list",
        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
    )


class YearMixin(ObjectPermissionMixin):
    """The cluster year named by the URL; 404 for a user who may not see it."""

    view_permission = staticmethod(member_permissions.can_view_cluster_year)
    permission = staticmethod(member_permissions.can_view_cluster_year)

    def load_object(self):
        return cluster_year_get(code=self.kwargs["code"], year=self.kwargs["year"])


class DossierListView(YearMixin, TemplateView):
    """The year's award dossier: its versions (a draft for the secretariat only)."""

    template_name = "dossiers/dossier_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cluster_year = self.get_object()
        context.update(
            cluster_year=cluster_year,
            cluster=cluster_year.cluster,
            dossiers=selectors.dossier_list_for_year(
                cluster_year=cluster_year, user=self.request.user
            ),
            can_start=permissions.can_start_dossier(self.request.user, cluster_year),
        )
        return context


class ConfirmMixin(FormPageMixin, ServiceFormMixin):
    """A confirmation page (``confirm_page.html``, the portal's one pattern): notes,
    an optional form, the button."""

    template_name = "confirm_page.html"
    form_class = forms.Form
    danger = False

    def get_notes(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notes"] = self.get_notes()
        context["danger"] = self.danger
        return context


class DossierCreateView(YearMixin, ConfirmMixin, FormView):
    """Start the year's dossier (secretariat), after confirmation."""

    permission = staticmethod(permissions.can_start_dossier)
    submit_label = gettext_lazy("Start the dossier")
    success_message = gettext_lazy("The award dossier has been started.")
    intro = gettext_lazy(
        "The proposals are read from the counted award ballots; the leader signs for the cluster."
    )

    def get_page_title(self):
        return _("Start the award dossier %(year)s") % {"year": self.get_object().year}

    def get_cancel_url(self):
        return list_url(self.get_object())

    def perform(self, form):
        return services.dossier_create(cluster_year=self.get_object(), by=self.request.user)


class DossierMixin(ObjectPermissionMixin):
    """The dossier named by the URL; 404 for a user who may not see it. Acts set
    ``permission`` (403 for a user who sees it but may not act)."""

    view_permission = staticmethod(permissions.can_view_dossier)
    permission = staticmethod(permissions.can_view_dossier)

    def load_object(self):
        return selectors.dossier_get(pk=self.kwargs["pk"])

    @property
    def dossier(self) -> Dossier:
        return self.get_object()

    def get_cancel_url(self):
        return self.dossier.get_absolute_url()

    def get_breadcrumbs(self):
        cluster_year = self.dossier.cluster_year
        return [
            (f"{cluster_year.cluster.name} – {cluster_year.year}", cluster_year.get_absolute_url()),
            (_("Award dossier"), list_url(cluster_year)),
            (_("Version %(version)s") % {"version": self.dossier.version}, self.get_cancel_url()),
        ]


class DossierDetailView(DossierMixin, TemplateView):
    """One version of the dossier: its state, proposals, documents and the acts the user
    may do; printable and readable on a phone."""

    template_name = "dossiers/dossier_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dossier = self.dossier
        user = self.request.user
        manages = permissions.can_manage_dossier(user, dossier)
        is_draft = dossier.state == Dossier.State.DRAFT
        context.update(
            dossier=dossier,
            cluster_year=dossier.cluster_year,
            cluster=dossier.cluster_year.cluster,
            proposals=selectors.dossier_proposals(dossier=dossier),
            documents=selectors.dossier_documents(dossier=dossier),
            next_version=selectors.dossier_next_version(dossier=dossier),
            being_prepared=is_draft and selectors.dossier_being_prepared(dossier=dossier),
            can_manage=manages,
            can_edit=manages and is_draft,
            can_send=manages and dossier.state == Dossier.State.ISSUED,
            can_return=permissions.can_return_dossier(user, dossier)
            and dossier.state == Dossier.State.SENT,
            can_resubmit=manages
            and dossier.state == Dossier.State.RETURNED
            and selectors.dossier_next_version(dossier=dossier) is None,
            problems=[e.messages[0] for e in services.dossier_issue_problems(dossier=dossier)]
            if manages and is_draft
            else [],
        )
        return context


class ManageMixin(DossierMixin):
    """Acts of the secretariat (403 for others who see the dossier)."""

    permission = staticmethod(permissions.can_manage_dossier)


class DossierEditView(ManageMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Edit the texts of a draft."""

    form_class = DossierTextsForm
    success_message = gettext_lazy("The dossier has been saved.")

    def get_page_title(self):
        return _("Texts of the award dossier")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.dossier}

    def perform(self, form):
        return services.dossier_update(
            dossier=self.dossier,
            submission_text=form.cleaned_data["submission_text"],
            signer_name=form.cleaned_data["signer_name"],
            signer_title=form.cleaned_data["signer_title"],
            by=self.request.user,
        )


class AttachmentAddView(ManageMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Add an attachment to a draft (checked by its content)."""

    form_class = AttachmentForm
    multipart = True
    submit_label = gettext_lazy("Add the attachment")
    success_message = gettext_lazy("The attachment has been added.")

    def get_page_title(self):
        return _("Add an attachment to the dossier")

    def perform(self, form):
        services.attachment_add(
            dossier=self.dossier,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            by=self.request.user,
        )
        return self.dossier


class DocumentMixin:
    """The dossier's document named by ``doc`` in the URL (404 if it is another's)."""

    def get_document(self) -> DossierDocument:
        if not hasattr(self, "_document"):
            try:
                self._document = self.dossier.documents.get(pk=self.kwargs["doc"])
            except DossierDocument.DoesNotExist as exc:
                raise Http404 from exc
            self._document.dossier = self.dossier
        return self._document


class AttachmentRemoveView(ManageMixin, DocumentMixin, ConfirmMixin, FormView):
    """Remove an attachment from a draft, after confirmation."""

    submit_label = gettext_lazy("Remove the attachment")
    success_message = gettext_lazy("The attachment has been removed.")
    danger = True

    def get_page_title(self):
        return _("Remove an attachment")

    def get_notes(self):
        return [self.get_document().title]

    def perform(self, form):
        services.attachment_remove(document=self.get_document(), by=self.request.user)
        return self.dossier


class ProposalsRefreshView(ManageMixin, ConfirmMixin, FormView):
    """Read the draft's proposals again from the counted award ballots."""

    submit_label = gettext_lazy("Read the proposals again")
    success_message = gettext_lazy("The proposals have been read again from the ballots.")
    intro = gettext_lazy(
        "The proposals become the chosen units of the year's counted award ballots."
    )

    def get_page_title(self):
        return _("Proposals from the ballots")

    def perform(self, form):
        services.dossier_proposals_refresh(dossier=self.dossier, by=self.request.user)
        return self.dossier


class DossierIssueView(ManageMixin, ConfirmMixin, FormView):
    """Issue the dossier, after confirmation: the documents are numbered, sealed and packed
    into one ZIP in the background; the page says when it is ready."""

    submit_label = gettext_lazy("Issue the dossier")
    success_message = gettext_lazy(
        "The dossier is being prepared: its documents are numbered, sealed and packed. "
        "This page shows when it is ready."
    )
    intro = gettext_lazy(
        "Issuing takes numbers for the submission (Tờ trình) and the minutes, seals every "
        "generated document and freezes the dossier: it cannot be changed afterwards."
    )
    danger = True

    def get_page_title(self):
        return _("Issue the award dossier")

    def get_notes(self):
        return [e.messages[0] for e in services.dossier_issue_problems(dossier=self.dossier)]

    def perform(self, form):
        services.dossier_issue(dossier=self.dossier, by=self.request.user)
        return self.dossier


class DossierSendView(ManageMixin, ConfirmMixin, FormView):
    """Send the issued dossier to the Ministry: a recorded act, after confirmation."""

    submit_label = gettext_lazy("Send to the Ministry")
    success_message = gettext_lazy("The dossier has been sent to the Ministry.")
    intro = gettext_lazy("Sending is recorded with your name and the time, and cannot be undone.")

    def get_page_title(self):
        return _("Send the award dossier")

    def perform(self, form):
        services.dossier_send(dossier=self.dossier, by=self.request.user)
        return self.dossier


class DossierReturnView(DossierMixin, ConfirmMixin, FormView):
    """The Ministry returns a sent dossier with a reason (reviewers with the permission)."""

    permission = staticmethod(permissions.can_return_dossier)
    form_class = ReturnForm
    submit_label = gettext_lazy("Return the dossier")
    success_message = gettext_lazy("The dossier has been returned to the cluster.")
    intro = gettext_lazy(
        "The cluster sees the reason and prepares a new version; this version is kept."
    )
    danger = True

    def get_page_title(self):
        return _("Return the award dossier")

    def perform(self, form):
        services.dossier_return(
            dossier=self.dossier, reason=form.cleaned_data["reason"], by=self.request.user
        )
        return self.dossier


class DossierResubmitView(ManageMixin, ConfirmMixin, FormView):
    """Start a new version after a return, after confirmation."""

    submit_label = gettext_lazy("Start a new version")
    success_message = gettext_lazy("A new version of the dossier has been started.")
    intro = gettext_lazy(
        "The new version starts as a draft with this version's texts and attachments; "
        "this version and its files are kept."
    )

    def get_page_title(self):
        return _("New version of the award dossier")

    def perform(self, form):
        return services.dossier_resubmit(dossier=self.dossier, by=self.request.user)


class DossierDownloadView(DossierMixin, View):
    """The issued dossier as one ZIP (documents, manifest, checksums)."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        dossier = self.dossier
        if not dossier.archive:
            raise Http404
        return file_response(
            dossier.archive, content_type="application/zip", filename=dossier.filename
        )


class DocumentDownloadView(DossierMixin, DocumentMixin, View):
    """One document of the dossier, served as its stored type; attachments always as a
    download (never shown in the portal's pages)."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        document = self.get_document()
        filename = download_name(document.title, document.content_type)
        response = file_response(
            document.file, content_type=document.content_type, filename=filename
        )
        if document.kind == DossierDocument.Kind.ATTACHMENT:
            response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

"""Covenant pages: read, draft, open, sign or decline, status board, audit trail.

Views are thin: the permission mixin checks the predicate, forms validate input, one service
call does the work, and its ValidationError is shown on the form.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from agreements import permissions, selectors, services
from agreements.forms import (
    CovenantForm,
    DeclineForm,
    NewVersionForm,
    PaperSignatureForm,
    PdfVerifyForm,
    SignForm,
)
from agreements.models import Covenant, Signature
from cluster_portal.audit import RequestMeta
from cluster_portal.http import download_name, file_response, pdf_response
from cluster_portal.pdf import render_pdf
from cluster_portal.pdf_verify import (
    EncryptedPdf,
    TooComplexPdf,
    UnreadablePdf,
    VerificationTimedOut,
    inspect_pdf,
)
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.uploads import max_upload_size
from cluster_portal.views import ServiceFormMixin
from members.views import ClusterYearMixin
from plans.selectors import legal_reference_list_citable


class CovenantMixin(ObjectPermissionMixin):
    """Loads the covenant of the cluster year named by the URL."""

    view_permission = staticmethod(permissions.can_view_covenant)
    permission = staticmethod(permissions.can_view_covenant)

    def load_object(self):
        return selectors.covenant_get(code=self.kwargs["code"], year=self.kwargs["year"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        covenant = self.get_object()
        context["covenant"] = covenant
        context["cluster_year"] = covenant.cluster_year
        context["cluster"] = covenant.cluster_year.cluster
        return context


class CovenantDetailView(CovenantMixin, TemplateView):
    """The covenant's text, its state, and what the user may do with it."""

    template_name = "agreements/covenant_detail.html"

    def get(self, request, *args, **kwargs):
        services.covenant_record_view(
            covenant=self.get_object(), user=request.user, meta=RequestMeta.from_request(request)
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        covenant = self.get_object()
        user = self.request.user
        context["board"] = selectors.covenant_board(covenant=covenant, pending_first=True)
        context["refusal"] = (
            permissions.signing_refusal(user, covenant) if user.is_signatory else None
        )
        context["can_sign"] = user.is_signatory and context["refusal"] is None
        context["current_version"] = selectors.covenant_current_version(covenant=covenant)
        context["document_pending"] = selectors.covenant_document_pending(covenant=covenant)
        return context


class CovenantCreateView(ClusterYearMixin, ServiceFormMixin, FormView):
    """Draft the year's covenant (secretariat)."""

    permission = staticmethod(permissions.can_create_covenant)
    template_name = "agreements/covenant_form.html"
    form_class = CovenantForm
    success_message = gettext_lazy("The covenant draft has been created.")
    cluster_year_related = ("covenant",)

    def get_initial(self):
        cluster_year = self.get_object()
        return {"title": f"Giao ước thi đua năm {cluster_year.year}"}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["references"] = legal_reference_list_citable(cluster=self.get_object().cluster)
        return kwargs

    def perform(self, form):
        return services.covenant_create(
            cluster_year=self.get_object(), **form.service_fields(), by=self.request.user
        )


class CovenantUpdateView(CovenantMixin, ServiceFormMixin, FormView):
    """Edit a draft covenant (secretariat)."""

    permission = staticmethod(permissions.can_edit_covenant)
    template_name = "agreements/covenant_form.html"
    form_class = CovenantForm
    success_message = gettext_lazy("The draft has been saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["covenant"] = self.get_object()
        kwargs["references"] = legal_reference_list_citable(
            cluster=self.get_object().cluster_year.cluster
        )
        return kwargs

    def perform(self, form):
        return services.covenant_update(
            covenant=self.get_object(), **form.service_fields(), by=self.request.user
        )


class CovenantActionView(CovenantMixin, TemplateView):
    """A confirmation page (GET) and the action itself (POST) for one-step actions."""

    template_name = "agreements/covenant_confirm.html"
    action_title = ""
    action_text = ""
    button_label = ""
    success_message = ""

    def perform(self, covenant):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_title=self.action_title,
            action_text=self.action_text,
            button_label=self.button_label,
        )
        return context

    def post(self, request, *args, **kwargs):
        covenant = self.get_object()
        try:
            self.perform(covenant)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(covenant)
        messages.success(request, self.success_message)
        return redirect(self.success_url(covenant))

    def success_url(self, covenant):
        return covenant.get_absolute_url()


class CovenantOpenView(CovenantActionView):
    permission = staticmethod(permissions.can_open_covenant)

    @property
    def action_title(self):
        return _("Open for signing")

    @property
    def action_text(self):
        return _(
            "The text will be frozen as version %(version)s and its SHA-256 recorded. The "
            "signatories of every member department will be told by e-mail. To change the "
            "text afterwards you must make a new version, which voids every signature."
        ) % {"version": self.get_object().version}

    @property
    def button_label(self):
        return _("Open for signing")

    @property
    def success_message(self):
        return _("The covenant is open for signing.")

    def perform(self, covenant):
        services.covenant_open_for_signing(covenant=covenant, by=self.request.user)


class CovenantCloseView(CovenantActionView):
    permission = staticmethod(permissions.can_close_covenant)

    @property
    def action_title(self):
        return _("Close the covenant")

    @property
    def action_text(self):
        return _("A closed covenant cannot change any more. This cannot be undone.")

    @property
    def button_label(self):
        return _("Close the covenant")

    @property
    def success_message(self):
        return _("The covenant is closed.")

    def perform(self, covenant):
        services.covenant_close(covenant=covenant, by=self.request.user)


class CovenantRemindView(CovenantMixin, TemplateView):
    """Send a reminder to the pending signatories (secretariat, from the board): the page
    shows the recipients with their addresses and the message before anything is sent."""

    permission = staticmethod(permissions.can_manage_signing)
    template_name = "agreements/covenant_remind.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = selectors.covenant_reminder_preview(covenant=self.get_object())
        return context

    def post(self, request, *args, **kwargs):
        covenant = self.get_object()
        sent = services.covenant_send_reminders(covenant=covenant, by=request.user)
        if sent:
            messages.success(request, _("Reminders sent: %(count)s.") % {"count": sent})
        else:
            messages.info(request, _("Nobody to remind today: everyone pending had a reminder."))
        return redirect(covenant.board_url)


class CovenantNewVersionView(CovenantMixin, ServiceFormMixin, FormView):
    """Void the signatures and reopen the text as a new version (secretariat)."""

    permission = staticmethod(permissions.can_revise_covenant)
    template_name = "agreements/covenant_new_version.html"
    form_class = NewVersionForm
    message_level = messages.WARNING

    def get_success_message(self, target):
        return _("Version %(version)s is a draft: the signatures were voided.") % {
            "version": target.version + 1
        }

    def perform(self, form):
        covenant = self.get_object()
        services.covenant_new_version(
            covenant=covenant, reason=form.cleaned_data["reason"], by=self.request.user
        )
        return covenant


class CovenantSignView(CovenantMixin, ServiceFormMixin, FormView):
    """A signatory confirms on behalf of their department, re-entering the password."""

    template_name = "agreements/covenant_sign.html"
    success_message = gettext_lazy("Your confirmation has been recorded by the system. Thank you.")

    def get_form(self, form_class=None):
        membership = next(
            (
                m
                for m in self.get_object().cluster_year.memberships.all()
                if m.department_id == self.request.user.department_id
            ),
            None,
        )
        name = membership.full_name if membership else _("your department")
        # Bound on every POST, even an empty one (``request.POST or None`` would not be).
        return SignForm(**self.get_form_kwargs(), department_name=name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        covenant = self.get_object()
        context["refusal"] = permissions.signing_refusal(self.request.user, covenant)
        context["current_version"] = selectors.covenant_current_version(covenant=covenant)
        return context

    def perform(self, form):
        covenant = self.get_object()
        services.signature_record(
            covenant=covenant,
            user=self.request.user,
            password=form.cleaned_data["password"],
            confirmed=form.cleaned_data["confirm"],
            meta=RequestMeta.from_request(self.request),
        )
        return covenant


class CovenantDeclineView(CovenantMixin, ServiceFormMixin, FormView):
    """A signatory declines on behalf of their department, with a reason."""

    template_name = "agreements/covenant_decline.html"
    form_class = DeclineForm
    success_message = gettext_lazy("Your department's refusal has been recorded.")
    message_level = messages.WARNING

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["refusal"] = permissions.signing_refusal(self.request.user, self.get_object())
        return context

    def perform(self, form):
        covenant = self.get_object()
        services.signature_decline(
            covenant=covenant,
            user=self.request.user,
            password=form.cleaned_data["password"],
            reason=form.cleaned_data["reason"],
            meta=RequestMeta.from_request(self.request),
        )
        return covenant


class CovenantBoardView(CovenantMixin, TemplateView):
    """Who has signed: every member department, the deadline and the share signed."""

    template_name = "agreements/covenant_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        covenant = self.get_object()
        context["board"] = selectors.covenant_board(
            covenant=covenant, shown=self.request.GET.get("show", "all"), pending_first=True
        )
        return context


class CovenantPaperSignatureView(CovenantMixin, ServiceFormMixin, FormView):
    """The secretariat records a paper original signed by a member, with its scan."""

    permission = staticmethod(permissions.can_manage_signing)
    template_name = "agreements/covenant_paper.html"
    success_message = gettext_lazy("The paper original has been recorded.")

    def get_form(self, form_class=None):
        covenant = self.get_object()
        # Only departments that have not responded: a response stands until a new version.
        departments = selectors.covenant_departments_not_responded(covenant=covenant)
        return PaperSignatureForm(**self.get_form_kwargs(), departments=departments)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["refusal"] = permissions.paper_recording_refusal(
            self.request.user, self.get_object()
        )
        context["scan_limit"] = filesizeformat(max_upload_size())
        return context

    def perform(self, form):
        covenant = self.get_object()
        data = form.cleaned_data
        services.signature_record_paper(
            covenant=covenant,
            department=data["department"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            signed_at=data["signed_at"],
            scan=data["scan"],
            by=self.request.user,
            meta=RequestMeta.from_request(self.request),
        )
        return covenant.board_url


class CovenantAuditView(CovenantMixin, TemplateView):
    """Every event of the covenant, with actor, time, IP address and details."""

    template_name = "agreements/covenant_audit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = selectors.covenant_events(covenant=self.get_object())
        context["versions"] = selectors.covenant_versions(covenant=self.get_object())
        return context


class SignatureScanView(CovenantMixin, TemplateView):
    """The scan of a paper original, for whoever may see the covenant."""

    def get(self, request, *args, **kwargs):
        covenant = self.get_object()
        try:
            signature = selectors.signature_get(covenant=covenant, pk=kwargs["pk"])
        except Signature.DoesNotExist as exc:
            raise Http404 from exc
        if not signature.scan:
            raise Http404
        # A scan stored before types were kept and not re-checked: a plain download.
        content_type = signature.scan_content_type or "application/octet-stream"
        return file_response(
            signature.scan,
            content_type=content_type,
            filename=download_name(f"quet-ban-giay-{signature.department.code}", content_type),
        )


class CovenantPdfView(CovenantMixin, View):
    """The covenant as a PDF: the issued, sealed document once fully signed, else a draft.

    The issued document's stored bytes are served as they are, every time.
    """

    def get(self, request, *args, **kwargs):
        covenant = self.get_object()
        year = covenant.cluster_year
        if covenant.state in (Covenant.State.SIGNED, Covenant.State.CLOSED):
            document = services.covenant_issue_document(covenant=covenant)
            return file_response(
                document.file, content_type="application/pdf", filename=document.filename
            )
        pdf = render_pdf("pdf/covenant.html", selectors.covenant_pdf_context(covenant=covenant))
        filename = f"giao-uoc-thi-dua-{year.cluster.code}-{year.year}-du-thao.pdf"
        return pdf_response(pdf, filename=filename)


TOO_COMPLEX_MESSAGES = {
    "signature_fields": gettext_lazy(
        "The PDF has more than %(limit)s signature fields: it is too complex to check here."
    ),
    "revisions": gettext_lazy(
        "The PDF has more than %(limit)s revisions (incremental updates): it is too complex "
        "to check here."
    ),
    "objects": gettext_lazy(
        "The PDF has more than %(limit)s objects: it is too complex to check here."
    ),
    "pages": gettext_lazy(
        "The PDF has more than %(limit)s pages: it is too complex to check here."
    ),
}


def _too_complex(exc: TooComplexPdf) -> ValidationError:
    message = TOO_COMPLEX_MESSAGES.get(exc.limit)
    if message is None:  # the child ran out of memory or processor time
        message = _(
            "Checking the PDF needed more memory or processor time than allowed: it is too "
            "complex to check here."
        )
    else:
        message = message % {"limit": exc.value}
    return ValidationError(message, code="too_complex")


class PdfVerifyView(FormView):
    """Upload a PDF: is it intact, sealed by this portal, which covenant on record is it?

    The analysis runs in a child process with a time limit; each user may verify a few PDFs
    per window (``services.pdf_verification_begin``).
    """

    template_name = "agreements/pdf_verify.html"
    form_class = PdfVerifyForm

    def refuse(self, form, error: ValidationError):
        form.add_error("file", error)
        return self.form_invalid(form)

    def form_valid(self, form):
        data = form.cleaned_data["data"]
        try:
            services.pdf_verification_begin(user=self.request.user)
        except ValidationError as error:
            return self.refuse(form, error)
        try:
            report = inspect_pdf(data)
        except EncryptedPdf:
            return self.refuse(
                form,
                ValidationError(
                    _("The PDF is encrypted: it cannot be checked without its password."),
                    code="encrypted",
                ),
            )
        except UnreadablePdf:
            return self.refuse(
                form,
                ValidationError(
                    _("The file is not a readable PDF (damaged or truncated)."), code="unreadable"
                ),
            )
        except TooComplexPdf as exc:
            return self.refuse(form, _too_complex(exc))
        except VerificationTimedOut:
            return self.refuse(
                form,
                ValidationError(
                    _(
                        "Checking the PDF took longer than %(seconds)s seconds and was stopped: "
                        "it is too complex to check here."
                    )
                    % {"seconds": settings.PDF_VERIFY_TIMEOUT_SECONDS},
                    code="timeout",
                ),
            )
        found = selectors.issued_document_in_pdf(report=report, user=self.request.user)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                report=report,
                match=found.document,
                found=found,
                checked=True,
            )
        )

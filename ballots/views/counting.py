"""Pages of closing and counting: close a ballot, create a runoff (secretariat, each after
a confirmation page), and the vote record PDF (whoever sees the counted ballot)."""

from django import forms
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView

from ballots import permissions
from ballots.models import Ballot
from ballots.selectors import counting as selectors
from ballots.services import counting as services
from cluster_portal.http import file_response
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import FormPageMixin, ServiceFormMixin


class BallotMixin(ObjectPermissionMixin):
    """The ballot named by the URL: 404 for a user who may not see its year; pages that
    change something set ``permission`` (403 for others who see it)."""

    view_permission = staticmethod(permissions.can_view_ballot)
    permission = staticmethod(permissions.can_view_ballot)

    def load_object(self):
        return selectors.ballot_for_counting(pk=self.kwargs["pk"])

    @property
    def ballot(self) -> Ballot:
        return self.get_object()


class BallotConfirmMixin(BallotMixin, FormPageMixin, ServiceFormMixin):
    """A confirmation page of the secretariat (the shared confirmation template)."""

    permission = staticmethod(permissions.can_manage_ballot)
    template_name = "confirm_page.html"
    form_class = forms.Form
    danger = False

    def get_notes(self):
        return []

    def get_cancel_url(self):
        return self.ballot.get_absolute_url()

    def get_breadcrumbs(self):
        cluster_year = self.ballot.cluster_year
        return [
            (f"{cluster_year.cluster.name} – {cluster_year.year}", cluster_year.get_absolute_url()),
            (self.ballot.question, self.ballot.get_absolute_url()),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notes"] = self.get_notes()
        context["danger"] = self.danger
        return context


class BallotCloseView(BallotConfirmMixin, FormView):
    """Close an open ballot after confirmation; the count runs in the background."""

    submit_label = gettext_lazy("Close the ballot and count")
    success_message = gettext_lazy("The ballot is closed and being counted.")
    danger = True

    def get_page_title(self):
        return _("Close the ballot")

    def get_notes(self):
        ballot = self.ballot
        if ballot.method == Ballot.Method.PAPER:
            return [
                _("No more figures can be entered: the count is made from those entered."),
                ballot.question,
            ]
        voted = selectors.voters_count(ballot=ballot)
        return [
            ngettext("%(count)s department has voted.", "%(count)s departments have voted.", voted)
            % {"count": voted},
            _("Nobody can vote on this ballot once it is closed; closing cannot be undone."),
            ballot.question,
        ]

    def perform(self, form):
        services.ballot_close(ballot=self.ballot, by=self.request.user)
        return self.ballot.get_absolute_url()


class BallotRunoffView(BallotConfirmMixin, FormView):
    """Create, after confirmation, a draft runoff ballot among the tied candidates."""

    submit_label = gettext_lazy("Create the runoff ballot")
    success_message = gettext_lazy(
        "The runoff ballot has been created as a draft: check it, then open it for voting."
    )

    def get_page_title(self):
        return _("Runoff among the tied candidates")

    def get_notes(self):
        names = selectors.tied_names(ballot=self.ballot)
        if not names:
            return [_("No candidates are tied at the cut of this ballot.")]
        return [_("Tied candidates: %(names)s.") % {"names": "; ".join(names)}]

    def perform(self, form):
        runoff = services.runoff_create(ballot=self.ballot, by=self.request.user)
        return runoff.get_absolute_url()


class VoteRecordView(BallotMixin, View):
    """The sealed vote record of a counted ballot (issued now if the task has not yet run);
    404 before the count."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        ballot = self.ballot
        if ballot.state != Ballot.State.COUNTED:
            raise Http404
        record = services.vote_record_issue(ballot_id=ballot.pk)
        return file_response(record.file, content_type="application/pdf", filename=record.filename)

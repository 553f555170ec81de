"""The page that confirms the result of a leader or deputy election (secretariat): the
chosen department leads (or deputises) the cluster next year."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from ballots import permissions
from ballots.models import Ballot
from ballots.selectors.leadership import (
    ballot_for_confirm,
    result_chosen,
    result_confirm_refusal,
)
from ballots.services.leadership import ballot_result_confirm
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import FormPageMixin, ServiceFormMixin


class BallotResultConfirmView(ObjectPermissionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Confirm, after a confirmation step, the counted result of a leader or deputy
    election: 404 for who may not see the ballot, 403 for who sees it but is not its
    secretariat; the service's refusal (not counted, tie, ...) is shown on the page."""

    view_permission = staticmethod(permissions.can_view_ballot)
    permission = staticmethod(permissions.can_manage_ballot)
    template_name = "confirm_page.html"
    form_class = forms.Form
    submit_label = gettext_lazy("Confirm the result")

    def load_object(self):
        return ballot_for_confirm(pk=self.kwargs["pk"])

    def _next_year(self) -> int:
        return self.get_object().cluster_year.year + 1

    def get_page_title(self):
        ballot = self.get_object()
        if ballot.kind == Ballot.Kind.DEPUTY:
            return _("Confirm the deputy leader for %(year)s") % {"year": self._next_year()}
        return _("Confirm the cluster leader for %(year)s") % {"year": self._next_year()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = str(self.get_object())
        context["notes"] = self.get_notes()
        context["danger"] = False
        return context

    def get_notes(self) -> list[str]:
        ballot = self.get_object()
        refusal = result_confirm_refusal(ballot=ballot)
        if refusal is not None:
            return [refusal[1]]
        chosen = result_chosen(ballot=ballot)
        year = self._next_year()
        if ballot.kind == Ballot.Kind.LEADER:
            elected = _("%(name)s leads the cluster in %(year)s (%(votes)s votes).")
        else:
            elected = _("%(name)s is the cluster's deputy leader in %(year)s (%(votes)s votes).")
        notes = [
            elected % {"name": chosen.membership.full_name, "year": year, "votes": chosen.votes},
            _(
                "If the cluster has no year %(year)s yet, it is started with this year's "
                "members (successors replacing departments merged away)."
            )
            % {"year": year},
        ]
        if ballot.kind == Ballot.Kind.LEADER:
            notes.append(
                _("The secretariat rights for %(year)s move to the staff of %(name)s.")
                % {"year": year, "name": chosen.membership.full_name}
            )
        notes.append(_("The confirmation is recorded and cannot be undone here."))
        return notes

    def get_cancel_url(self):
        return self.get_object().cluster_year.get_absolute_url()

    def get_breadcrumbs(self):
        cluster_year = self.get_object().cluster_year
        return [
            (f"{cluster_year.cluster.name} – {cluster_year.year}", cluster_year.get_absolute_url())
        ]

    def get_success_message(self, target):
        ballot = self.get_object()
        if ballot.kind == Ballot.Kind.DEPUTY:
            message = _("The result is confirmed: %(name)s is the deputy leader for %(year)s.")
        else:
            message = _("The result is confirmed: %(name)s leads the cluster in %(year)s.")
        return message % {
            "name": result_chosen(ballot=ballot).membership.full_name,
            "year": target.year,
        }

    def perform(self, form):
        # The year page shows the new leadership at once.
        return ballot_result_confirm(ballot=self.get_object(), by=self.request.user)

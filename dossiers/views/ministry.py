"""The Ministry's pages: the year table across clusters and the council's decisions."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from cluster_portal.audit import RequestMeta
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import FormPageMixin, ServiceFormMixin
from dossiers import permissions
from dossiers.forms.decisions import AwardDecisionForm
from dossiers.models import AwardDecision
from dossiers.selectors import ministry as selectors
from dossiers.services.decisions import award_decision_record
from members import permissions as member_permissions


def _may_see_proposal(user, proposal) -> bool:
    return permissions.can_view_dossier(user, proposal.dossier)


def _may_record(user, proposal) -> bool:
    return permissions.can_record_award_decisions(user)


class MinistryYearView(TemplateView):
    """Every cluster's dossier and proposals for a year, with the 20% count (reviewers and
    site admins; 404 for anyone else, as for a page that does not exist)."""

    template_name = "dossiers/ministry_year.html"
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_view_ministry_table(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = selectors.ministry_year_table(year=self.kwargs["year"], user=self.request.user)
        context["table"] = table
        context["can_record"] = permissions.can_record_award_decisions(self.request.user)
        context["cap_percent"] = selectors.GOVERNMENT_FLAG_CAP_PERCENT
        return context


class DecisionRecordView(ObjectPermissionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Record (or correct) the council's decision on one proposal of a sent dossier:
    reviewers holding the permission and site admins; 403 for others who see the dossier,
    404 for those who do not."""

    view_permission = staticmethod(_may_see_proposal)
    permission = staticmethod(_may_record)
    form_class = AwardDecisionForm
    template_name = "dossiers/ministry_decision.html"
    submit_label = gettext_lazy("Record the decision")
    success_message = gettext_lazy("The council's decision has been recorded.")

    def dispatch(self, request, *args, **kwargs):
        # Reviewers see every cluster, so refusing before the lookup reveals nothing; it
        # keeps "every POST of a reviewer without the permission is refused" true for any id.
        if member_permissions.is_reviewer(request.user) and not (
            permissions.can_record_award_decisions(request.user)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def load_object(self):
        return selectors.proposal_get(pk=self.kwargs["pk"])

    @property
    def proposal(self):
        return self.get_object()

    def table_url(self) -> str:
        cluster_year = self.proposal.dossier.cluster_year
        return (
            f"{selectors.ministry_year_url(cluster_year.year)}#cluster-{cluster_year.cluster.code}"
        )

    def get_page_title(self):
        return _("Council's decision: %(unit)s") % {"unit": self.proposal.membership.short_name}

    def get_cancel_url(self):
        return self.table_url()

    def get_breadcrumbs(self):
        year = self.proposal.dossier.cluster_year.year
        return [
            (
                _("Award proposals %(year)s") % {"year": year},
                selectors.ministry_year_url(year),
            )
        ]

    def get_initial(self):
        try:
            decision = self.proposal.decision
        except AwardDecision.DoesNotExist:
            return {}
        return {
            "decision": decision.decision,
            "reference": decision.reference,
            "decided_on": decision.decided_on,
            "note": decision.note,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = self.proposal
        context["proposal"] = proposal
        context["dossier"] = proposal.dossier
        count = selectors.government_flag_count(year=proposal.dossier.cluster_year.year)
        context["count"] = count
        current = self.get_initial().get("decision")
        # Correcting a decision that already passes this unit on adds nothing to the count.
        context["one_more_over_cap"] = (
            current != AwardDecision.Decision.GOVERNMENT_FLAG_PROPOSED and count.places_left == 0
        )
        context["cap_percent"] = selectors.GOVERNMENT_FLAG_CAP_PERCENT
        return context

    def perform(self, form):
        award_decision_record(
            proposal=self.proposal,
            by=self.request.user,
            meta=RequestMeta.from_request(self.request),
            **form.cleaned_data,
        )
        return self.table_url()

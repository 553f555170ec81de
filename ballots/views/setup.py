"""Pages of ballot setup: the year's ballots, one ballot, preparing and changing a draft,
opening it, and entering a paper ballot's count. Thin: load, check, one service call."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from ballots import permissions
from ballots.forms.setup import BallotForm, PaperCountForm
from ballots.models import Ballot
from ballots.selectors import setup as selectors
from ballots.services import setup as services
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import FormPageMixin, ServiceFormMixin
from members import permissions as member_permissions
from members.views import ClusterYearMixin


def ballot_list_url(cluster_year) -> str:
    return reverse(
        "ballots:ballot-list", kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year}
    )


def _year_crumb(cluster_year):
    return (f"{cluster_year.cluster.name} – {cluster_year.year}", cluster_year.get_absolute_url())


class BallotMixin(ObjectPermissionMixin):
    """The ballot named by the URL: 404 for a user who may not see its year; pages that
    change something set ``permission`` (403 for a user who sees it)."""

    view_permission = staticmethod(permissions.can_view_ballot)
    permission = staticmethod(permissions.can_view_ballot)

    def load_object(self):
        return selectors.ballot_get(pk=self.kwargs["pk"])

    @property
    def ballot(self) -> Ballot:
        return self.get_object()

    def crumbs(self):
        ballot = self.ballot
        return [
            _year_crumb(ballot.cluster_year),
            (_("Ballots"), ballot_list_url(ballot.cluster_year)),
            (ballot.question, ballot.get_absolute_url()),
        ]


class BallotFormPageMixin(FormPageMixin):
    """A one-form page of a ballot: breadcrumbs to it, cancel back to it."""

    def get_cancel_url(self):
        return self.ballot.get_absolute_url()

    def get_breadcrumbs(self):
        return self.crumbs()


class BallotListView(ClusterYearMixin, TemplateView):
    """The year's ballots, by conference, with their state (whoever sees the year)."""

    template_name = "ballots/ballot_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cluster_year = self.get_object()
        context["ballots"] = selectors.ballot_list_for_year(cluster_year=cluster_year)
        context["can_manage"] = member_permissions.can_manage_cluster_year(
            self.request.user, cluster_year
        )
        context["breadcrumbs"] = [_year_crumb(cluster_year)]
        return context


class BallotCreateView(ClusterYearMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Prepare a ballot (secretariat): rules from the charter, candidates from the ranking."""

    permission = staticmethod(member_permissions.can_manage_cluster_year)
    template_name = "ballots/ballot_form.html"
    form_class = BallotForm
    submit_label = gettext_lazy("Prepare the ballot")
    success_message = gettext_lazy("The ballot has been prepared as a draft.")
    intro = gettext_lazy(
        "A ballot belongs to a conference of the year's work plan. Its rules start from the "
        "charter in force; it stays a draft, open to changes, until it is opened."
    )

    def get_page_title(self):
        return _("New ballot")

    def get_cancel_url(self):
        return ballot_list_url(self.get_object())

    def get_breadcrumbs(self):
        return [_year_crumb(self.get_object()), (_("Ballots"), self.get_cancel_url())]

    def get_choices(self):
        """The year's members as candidates, ranked where results are published (once)."""
        if not hasattr(self, "_choices"):
            self._choices = selectors.candidate_choices(cluster_year=self.get_object())
        return self._choices

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["conferences"] = selectors.conference_choices(cluster_year=self.get_object())
        kwargs["choices"] = self.get_choices()
        return kwargs

    def get_initial(self):
        cluster_year = self.get_object()
        rules = selectors.voting_rules_for(cluster_year=cluster_year)
        conference = selectors.conference_choices(cluster_year=cluster_year).first()
        return {
            "conference": conference,
            "kind": Ballot.Kind.GOVERNMENT_FLAG,
            "method": Ballot.Method.ELECTRONIC,
            "quorum_percent": rules.quorum_percent,
            "threshold_percent": rules.threshold_percent,
            "threshold_base": rules.threshold_base,
            "blank_policy": rules.blank_policy,
            "candidates": [membership.pk for membership, _rank in self.get_choices()],
        }

    def perform(self, form):
        return services.ballot_create(**form.cleaned_data, by=self.request.user)


class BallotDetailView(BallotMixin, TemplateView):
    """One ballot: question, rules, candidates, the voter roll, and what voting, counting
    and leadership add through the detail-context hook (whoever sees the year)."""

    template_name = "ballots/ballot_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ballot = self.ballot
        context.update(selectors.ballot_detail_context(ballot=ballot, user=self.request.user))
        context["cluster_year"] = ballot.cluster_year
        context["can_manage"] = permissions.can_manage_ballot(self.request.user, ballot)
        context["states"] = Ballot.State
        context["breadcrumbs"] = self.crumbs()[:-1]
        return context


class ManageBallotMixin(BallotMixin):
    """Pages that change a ballot: the secretariat (403 for others who see it)."""

    permission = staticmethod(permissions.can_manage_ballot)


class BallotEditView(ManageBallotMixin, BallotFormPageMixin, ServiceFormMixin, FormView):
    """Change a draft ballot (secretariat); once opened, back to the ballot with the reason."""

    template_name = "ballots/ballot_form.html"
    form_class = BallotForm
    success_message = gettext_lazy("The ballot has been saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            ballot = self.get_object()
            if (
                permissions.can_manage_ballot(request.user, ballot)
                and ballot.state != Ballot.State.DRAFT
            ):
                messages.error(request, _("The ballot is open: it can no longer be changed."))
                return redirect(ballot)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Edit the ballot")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["choices"] = selectors.candidate_choices(cluster_year=self.ballot.cluster_year)
        return kwargs

    def get_initial(self):
        ballot = self.ballot
        return {
            "kind": ballot.kind,
            "question": ballot.question,
            "candidates": [c.membership_id for c in selectors.candidate_list(ballot=ballot)],
            "min_choices": ballot.min_choices,
            "max_choices": ballot.max_choices,
            "method": ballot.method,
            "quorum_percent": ballot.quorum_percent,
            "threshold_percent": ballot.threshold_percent,
            "threshold_base": ballot.threshold_base,
            "blank_policy": ballot.blank_policy,
        }

    def perform(self, form):
        return services.ballot_update(ballot=self.ballot, **form.cleaned_data, by=self.request.user)


class ConfirmPageMixin(BallotFormPageMixin, ServiceFormMixin):
    """A confirmation page of a ballot (``confirm_page.html``): notes and the button."""

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


class BallotOpenView(ManageBallotMixin, ConfirmPageMixin, FormView):
    """Open a draft ballot for the vote, after confirmation (secretariat)."""

    submit_label = gettext_lazy("Open the ballot")
    success_message = gettext_lazy("The ballot is open.")
    intro = gettext_lazy(
        "Once open, the question, the candidates and the rules can no longer be changed."
    )

    def get_page_title(self):
        return _("Open the ballot")

    def get_notes(self):
        ballot = self.ballot
        candidates = selectors.candidate_list(ballot=ballot)
        notes = [
            ballot.question,
            _("Candidates: %(names)s.")
            % {"names": ", ".join(c.membership.short_name for c in candidates) or "—"},
            _("A voter chooses from %(min)s to %(max)s.")
            % {"min": ballot.min_choices, "max": ballot.max_choices},
        ]
        if ballot.method == Ballot.Method.ELECTRONIC:
            notes.append(_("Each member department's signatory can then vote in the portal."))
        else:
            notes.append(_("The count committee's figures are entered once the vote is over."))
        return notes

    def perform(self, form):
        services.ballot_open(ballot=self.ballot, by=self.request.user)
        return self.ballot.get_absolute_url()


class PaperCountView(ManageBallotMixin, BallotFormPageMixin, ServiceFormMixin, FormView):
    """Enter the count committee's figures of a paper ballot (secretariat)."""

    template_name = "ballots/paper_count_form.html"
    form_class = PaperCountForm
    submit_label = gettext_lazy("Save the count")
    success_message = gettext_lazy("The paper ballot count has been saved.")
    intro = gettext_lazy(
        "Enter the figures of the count committee's record. Valid and invalid ballots add "
        "up to the ballots returned, which cannot exceed those issued."
    )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            ballot = self.get_object()
            if (
                permissions.can_manage_ballot(request.user, ballot)
                and ballot.method != Ballot.Method.PAPER
            ):
                messages.error(
                    request,
                    _("This ballot is cast in the portal: its count is not entered by hand."),
                )
                return redirect(ballot)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Paper ballot count")

    def get_candidates(self):
        if not hasattr(self, "_candidates"):
            self._candidates = selectors.candidate_list(ballot=self.ballot)
        return self._candidates

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["candidates"] = self.get_candidates()
        return kwargs

    def get_initial(self):
        count = selectors.paper_count_get(ballot=self.ballot)
        initial = {f"votes_{c.pk}": c.votes for c in self.get_candidates() if c.votes is not None}
        if count is not None:
            initial.update(
                committee=count.committee,
                issued=count.issued,
                returned=count.returned,
                valid=count.valid,
                invalid=count.invalid,
            )
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ballot"] = self.ballot
        return context

    def perform(self, form):
        data = form.cleaned_data
        services.paper_count_enter(
            ballot=self.ballot,
            committee=data["committee"],
            issued=data["issued"],
            returned=data["returned"],
            valid=data["valid"],
            invalid=data["invalid"],
            votes=form.votes(),
            by=self.request.user,
        )
        return self.ballot.get_absolute_url()

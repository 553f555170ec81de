"""The vote page (signatories), the receipt shown once, and the receipt check."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

from ballots import permissions
from ballots.forms.voting import ReceiptCheckForm, VoteForm
from ballots.selectors.voting import ballot_for_voting, papers_cast, vote_state_for
from ballots.services.voting import ballot_vote, receipt_check
from cluster_portal.audit import RequestMeta
from cluster_portal.forms import apply_service_errors
from cluster_portal.permissions import ObjectPermissionMixin


class BallotPageMixin(ObjectPermissionMixin):
    """The ballot named by the URL: 404 for a user who may not see its year."""

    view_permission = staticmethod(permissions.can_view_ballot)
    permission = staticmethod(permissions.can_view_ballot)

    def load_object(self):
        return ballot_for_voting(pk=self.kwargs["pk"])

    def crumbs(self):
        ballot = self.get_object()
        cluster_year = ballot.cluster_year
        return [
            (f"{cluster_year.cluster.name} – {cluster_year.year}", cluster_year.get_absolute_url()),
            (_("Ballot"), ballot.get_absolute_url()),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ballot = self.get_object()
        context.update(
            ballot=ballot,
            cluster_year=ballot.cluster_year,
            cluster=ballot.cluster_year.cluster,
            breadcrumbs=self.crumbs(),
        )
        return context


@method_decorator(never_cache, name="dispatch")
class BallotVoteView(BallotPageMixin, FormView):
    """A signatory of a member department votes: the question, the candidates, the
    confirmation and the password; the receipt code is shown once, in the answer to the
    POST (never stored in the session, never sent by e-mail). Others who see the ballot: 403."""

    permission = staticmethod(permissions.is_voting_signatory)
    template_name = "ballots/ballot_vote.html"

    def department_name(self) -> str:
        department_id = self.request.user.department_id
        memberships = self.get_object().cluster_year.memberships.all()
        return next(m.full_name for m in memberships if m.department_id == department_id)

    def get_form(self, form_class=None):
        ballot = self.get_object()
        return VoteForm(
            **self.get_form_kwargs(),
            ballot=ballot,
            candidates=ballot.candidates.all(),
            department_name=self.department_name(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ballot = self.get_object()
        context["candidates"] = ballot.candidates.all()
        context["vote_state"] = vote_state_for(ballot=ballot, user=self.request.user)
        context["department_name"] = self.department_name()
        return context

    def form_valid(self, form):
        ballot = self.get_object()
        try:
            code = ballot_vote(
                ballot=ballot,
                user=self.request.user,
                choices=form.chosen(),
                password=form.cleaned_data["password"],
                confirmed=form.cleaned_data["confirm"],
                meta=RequestMeta.from_request(self.request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        context = {
            "ballot": ballot,
            "cluster_year": ballot.cluster_year,
            "cluster": ballot.cluster_year.cluster,
            "breadcrumbs": self.crumbs(),
            "receipt_code": code,
            "department_name": self.department_name(),
        }
        return render(self.request, "ballots/vote_done.html", context)


@method_decorator(never_cache, name="dispatch")
class ReceiptCheckView(BallotPageMixin, FormView):
    """Whoever sees the ballot checks a receipt code: "among the N papers" or "not found",
    never the choice. The code is sent by POST so that it stays out of address logs."""

    template_name = "ballots/receipt_check.html"
    form_class = ReceiptCheckForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["papers"] = papers_cast(ballot=self.get_object())
        return context

    def form_valid(self, form):
        found = receipt_check(ballot=self.get_object(), code=form.cleaned_data["code"])
        return self.render_to_response(
            self.get_context_data(form=ReceiptCheckForm(), checked=True, found=found)
        )

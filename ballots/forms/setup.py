"""Forms of ballot setup: the ballot itself and a paper ballot's count. They validate the
input only; the rules (bounds against the candidates, figures that add up) are the
services', which name the numbers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ballots.models import Ballot, PaperCount


class CandidateField(forms.ModelMultipleChoiceField):
    """Member departments as check boxes, labelled with their published rank and total."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, ranking=None, **kwargs):
        self.ranking = ranking or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, membership):
        rank = self.ranking.get(membership.pk)
        if rank is None:
            return membership.short_name
        return _("%(name)s (rank %(rank)s, %(total)s points)") % {
            "name": membership.short_name,
            "rank": rank[0],
            "total": rank[1],
        }


class BallotForm(forms.Form):
    """A ballot's question, candidates, choices, method and voting rules. ``conferences``
    (a queryset) is given for a new ballot only; ``choices`` is the list of
    ``(membership, (rank, total) or None)`` from ``selectors.setup.candidate_choices``."""

    conference = forms.ModelChoiceField(label=_("Conference"), queryset=None)
    kind = forms.ChoiceField(label=_("What the ballot decides"), choices=Ballot.Kind.choices)
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("As printed on the ballot, in Vietnamese."),
    )
    candidates = CandidateField(
        label=_("Candidates"),
        queryset=None,
        required=False,
        help_text=_("Member departments; ranked by the published results where there are any."),
    )
    min_choices = forms.IntegerField(label=_("Fewest choices per ballot"), min_value=1, initial=1)
    max_choices = forms.IntegerField(label=_("Most choices per ballot"), min_value=1, initial=1)
    method = forms.ChoiceField(label=_("Voting method"), choices=Ballot.Method.choices)
    quorum_percent = forms.DecimalField(
        label=_("Quorum (% of all members)"), max_digits=5, decimal_places=2, min_value=0
    )
    threshold_percent = forms.DecimalField(
        label=_("Threshold (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        help_text=_("A candidate is chosen with more than this share."),
    )
    threshold_base = forms.ChoiceField(
        label=_("Threshold counted"), choices=Ballot.ThresholdBase.choices
    )
    blank_policy = forms.ChoiceField(
        label=_("Blank or over-filled ballots"), choices=Ballot.BlankPolicy.choices
    )

    def __init__(self, *args, conferences=None, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        if conferences is None:
            del self.fields["conference"]
        else:
            self.fields["conference"].queryset = conferences
            self.fields["conference"].label_from_instance = lambda a: (
                f"{a.starts_on:%d/%m/%Y} – {a.title}"
            )
        field = self.fields["candidates"]
        field.ranking = {m.pk: rank for m, rank in choices if rank is not None}
        # The queryset only validates the posted ids; the choices keep the ranked order.
        from members.models import Membership

        field.queryset = Membership.objects.filter(pk__in=[m.pk for m, _rank in choices])
        field.choices = [(m.pk, field.label_from_instance(m)) for m, _rank in choices]


class PaperCountForm(forms.Form):
    """The count committee and its figures, with one votes field per candidate
    (``votes_<candidate id>``)."""

    committee = forms.CharField(
        label=_("Count committee"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PaperCount._meta.get_field("committee").help_text,
    )
    issued = forms.IntegerField(label=_("Ballots issued"), min_value=0)
    returned = forms.IntegerField(label=_("Ballots returned"), min_value=0)
    valid = forms.IntegerField(label=_("Valid ballots"), min_value=0)
    invalid = forms.IntegerField(label=_("Invalid ballots"), min_value=0)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for candidate in self.candidates:
            self.fields[f"votes_{candidate.pk}"] = forms.IntegerField(
                label=_("Votes for %(name)s") % {"name": candidate.membership.short_name},
                min_value=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def votes(self) -> dict[int, int]:
        """Candidate id → votes, from the cleaned data."""
        return {c.pk: self.cleaned_data[f"votes_{c.pk}"] for c in self.candidates}

"""Forms of the self-assessment. They validate input only: the bounds of every score, the
phase, the deadline and the version are the services' to check."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cluster_portal import uploads
from evaluations import scoring
from evaluations.models import Criterion
from evaluations.services.assessments import (
    MAX_COUNT,
    MAX_EXPLANATION,
    MAX_LINK,
    MAX_REPORT,
    LineEntry,
    value_field,
)


class PointsField(forms.DecimalField):
    """A decimal that accepts the Vietnamese decimal comma ("7,5") as well as a point."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def explanation_field(score_id) -> str:
    return f"explanation_{score_id}"


def _initial_value(score):
    kind = score.criterion.kind
    if kind == Criterion.Kind.PER_OCCURRENCE:
        return score.count
    if kind == Criterion.Kind.QUANTITATIVE:
        return None if score.actual is None else scoring.points_text(score.actual)
    if kind == Criterion.Kind.YES_NO:
        if score.self_points is None:
            return ""
        return "yes" if score.self_points == score.max_points and score.max_points else "no"
    return scoring.points_text(score.self_points) or None


class AssessmentForm(forms.Form):
    """Every line of an assessment at once: what is entered depends on the line's kind
    (points, yes/no, a count or an actual figure) and an explanation, plus the year-end
    report summary. ``version`` is the version the form was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    report = forms.CharField(
        label=_("Year-end report summary"),
        required=False,
        max_length=MAX_REPORT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The main results of your department's year, in a few paragraphs."),
    )

    def __init__(self, *args, assessment, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.scores = list(scores)
        self.fields["version"].initial = assessment.version
        self.fields["report"].initial = assessment.report
        for score in self.scores:
            self.fields[value_field(score.pk)] = self._value_field(score)
            self.fields[explanation_field(score.pk)] = forms.CharField(
                label=_("Explanation"),
                required=False,
                max_length=MAX_EXPLANATION,
                initial=score.explanation,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def _value_field(self, score):
        criterion = score.criterion
        kind = criterion.kind
        maximum = scoring.points_text(score.max_points)
        initial = _initial_value(score)
        if kind == Criterion.Kind.YES_NO:
            return forms.ChoiceField(
                label=_("Done?"),
                required=False,
                initial=initial,
                choices=[
                    ("", "—"),
                    ("yes", _("Yes (%(max)s points)") % {"max": maximum}),
                    ("no", _("No (0 points)")),
                ],
            )
        if kind == Criterion.Kind.PER_OCCURRENCE:
            return forms.IntegerField(
                label=_("Number of occurrences"),
                required=False,
                initial=initial,
                max_value=MAX_COUNT,
                help_text=_("%(each)s points each, at most %(max)s points")
                % {"each": scoring.points_text(criterion.points_per_occurrence), "max": maximum},
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        if kind == Criterion.Kind.QUANTITATIVE:
            return PointsField(
                label=_("Actual figure"),
                required=False,
                initial=initial,
                max_digits=14,
                decimal_places=2,
                help_text=_("Target: %(target)s %(unit)s; at most %(max)s points")
                % {
                    "target": scoring.points_text(criterion.target),
                    "unit": criterion.unit,
                    "max": maximum,
                },
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
        return PointsField(
            label=_("Points"),
            required=False,
            initial=initial,
            max_digits=7,
            decimal_places=2,
            help_text=_("0 to %(max)s") % {"max": maximum},
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )

    def line_fields(self, score):
        """The bound fields of one line: (value, explanation)."""
        return self[value_field(score.pk)], self[explanation_field(score.pk)]

    def entries(self) -> dict[int, LineEntry]:
        """What was entered, by score id, for ``services.assessment_save``."""
        data = self.cleaned_data
        entries = {}
        for score in self.scores:
            kind = score.criterion.kind
            value = data.get(value_field(score.pk))
            explanation = data.get(explanation_field(score.pk)) or ""
            if kind == Criterion.Kind.PER_OCCURRENCE:
                entry = LineEntry(count=value, explanation=explanation)
            elif kind == Criterion.Kind.QUANTITATIVE:
                entry = LineEntry(actual=value, explanation=explanation)
            elif kind == Criterion.Kind.YES_NO:
                points = {"yes": score.max_points, "no": Decimal("0")}.get(value)
                entry = LineEntry(points=points, explanation=explanation)
            else:
                entry = LineEntry(points=value, explanation=explanation)
            entries[score.pk] = entry
        return entries


class EvidenceForm(forms.Form):
    """Evidence for one line: a file, an activity of the year's work plan or the address of
    a page of the portal (the one ``source`` chosen)."""

    FILE, ACTIVITY, LINK = "file", "activity", "link"

    line = forms.TypedChoiceField(label=_("Line of the table"), coerce=int)
    source = forms.ChoiceField(
        label=_("Evidence is"),
        widget=forms.RadioSelect,
        initial=FILE,
        choices=[
            (FILE, _("a file (PDF, image, Word or Excel)")),
            (ACTIVITY, _("an activity of this year's work plan")),
            (LINK, _("a page of the portal")),
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(label=_("File"), required=False)
    activity = forms.TypedChoiceField(
        label=_("Activity"), coerce=int, required=False, empty_value=None
    )
    link = forms.CharField(
        label=_("Address of the page"),
        required=False,
        max_length=MAX_LINK,
        help_text=_("A page of this portal, e.g. /plans/activities/12/"),
    )

    def __init__(self, *args, scores, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [
            (score.pk, f"{score.criterion.code}. {score.criterion.text[:120]}") for score in scores
        ]
        self.activities = {activity.pk: activity for activity in activities}
        self.fields["activity"].choices = [("", "—")] + [
            (activity.pk, f"{activity.starts_on:%d/%m/%Y} – {activity.title}")
            for activity in activities
        ]

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        if source == self.FILE:
            upload = cleaned.get("file")
            if not upload:
                self.add_error("file", _("Choose the file to attach."))
            else:
                try:
                    uploads.check_upload(upload, accepted=uploads.DOCUMENT_KINDS)
                except forms.ValidationError as error:
                    self.add_error("file", error)
        elif source == self.ACTIVITY and not cleaned.get("activity"):
            self.add_error("activity", _("Choose the activity."))
        elif source == self.LINK and not (cleaned.get("link") or "").strip():
            self.add_error("link", _("Enter the address of the page."))
        return cleaned

    def service_fields(self) -> dict:
        """The one source chosen, as ``services.evidence_add`` takes it."""
        data = self.cleaned_data
        source = data["source"]
        return {
            "title": data.get("title") or "",
            "upload": data.get("file") if source == self.FILE else None,
            "activity": self.activities.get(data.get("activity"))
            if source == self.ACTIVITY
            else None,
            "link": data.get("link") or "" if source == self.LINK else "",
        }


class SubmitForm(forms.Form):
    """Confirm the submission on behalf of the department, re-entering the password."""

    confirm = forms.BooleanField(required=False)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )

    def __init__(self, *args, department_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _(
            "I confirm that this is the self-assessment of %(department)s and submit it"
        ) % {"department": department_name}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_EXPLANATION,
        help_text=_("The department sees it and receives it by e-mail."),
    )


__all__ = [
    "AssessmentForm",
    "EvidenceForm",
    "PointsField",
    "ReturnForm",
    "SubmitForm",
    "explanation_field",
]

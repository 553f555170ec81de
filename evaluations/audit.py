"""Audit actions of the evaluations app: the one list of their codes and labels.

Registered in ``EvaluationsConfig.ready``; audit pages take their labels from here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationAction(models.TextChoices):
    EVALUATION_CREATED = "evaluation.created", _("Evaluation created")
    EVALUATION_PHASE_CHANGED = "evaluation.phase_changed", _("Evaluation phase changed")
    EVALUATION_DATES_CHANGED = "evaluation.dates_changed", _("Evaluation dates changed")
    EVALUATION_CHECKING_MODE_SET = "evaluation.checking_mode_set", _("Checking method chosen")
    EVALUATION_PUBLISHED = "evaluation.published", _("Results published")
    TABLE_EDITED = "criteria_table.edited", _("Criteria table edited")
    TABLE_IMPORTED = "criteria_table.imported", _("Criteria table imported")
    TABLE_COPIED = "criteria_table.copied", _("Criteria table copied from last year")
    TABLE_ADOPTED = "criteria_table.adopted", _("Criteria table adopted")
    ASSESSMENT_SAVED = "assessment.saved", _("Self-assessment saved")
    ASSESSMENT_SUBMITTED = "assessment.submitted", _("Self-assessment submitted")
    ASSESSMENT_SUBMIT_REFUSED = (
        "assessment.submit_refused",
        _("Self-assessment submission refused (wrong password)"),
    )
    ASSESSMENT_RETURNED = "assessment.returned", _("Self-assessment returned")
    ASSESSMENT_DEADLINE_EXTENDED = "assessment.deadline_extended", _("Deadline extended")
    EVIDENCE_ADDED = "evidence.added", _("Evidence added")
    EVIDENCE_REMOVED = "evidence.removed", _("Evidence removed")
    CHECKERS_ASSIGNED = "checking.assigned", _("Cross-checkers assigned")
    ADJUSTMENT_PROPOSED = "adjustment.proposed", _("Score adjustment proposed")
    ADJUSTMENT_DECIDED = "adjustment.decided", _("Score adjustment decided")
    ADJUSTMENT_ANSWERED = "adjustment.answered", _("Member answered an adjustment")
    ASSESSMENT_FINALISED = "assessment.finalised", _("Checked scores finalised")

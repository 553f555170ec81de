"""Forms of the plans app, one module per concept; import them from here
(``from plans.forms import ActivityForm``). They validate input only; services do the rest.
"""

from plans.forms.calendar import CalendarFilterForm
from plans.forms.charter import (
    CharterAdoptForm,
    CharterAnswerForm,
    CharterArticleForm,
    CharterCommentForm,
    CharterCompareForm,
    CharterVersionCreateForm,
    CharterVersionForm,
)
from plans.forms.common import ConfirmForm, DateInput, TimeInput
from plans.forms.files import AttachmentForm, PhotoForm
from plans.forms.legal_references import LegalReferenceForm
from plans.forms.news import NewsPostCreateForm, NewsPostForm, NewsPublishForm
from plans.forms.work_plans import ActivityForm, ActivityReportForm, AttendeeForm, WorkPlanForm

__all__ = [
    "ActivityForm",
    "ActivityReportForm",
    "AttachmentForm",
    "AttendeeForm",
    "CalendarFilterForm",
    "CharterAdoptForm",
    "CharterAnswerForm",
    "CharterArticleForm",
    "CharterCommentForm",
    "CharterCompareForm",
    "CharterVersionCreateForm",
    "CharterVersionForm",
    "ConfirmForm",
    "DateInput",
    "LegalReferenceForm",
    "NewsPostCreateForm",
    "NewsPostForm",
    "NewsPublishForm",
    "PhotoForm",
    "TimeInput",
    "WorkPlanForm",
]

"""URLs of the year-end evaluation, under /evaluations/<cluster code>/<year>/."""

from django.urls import path

from evaluations.views import assessments, checking

app_name = "evaluations"

prefix = "<slug:code>/<int:year>/"
assessment = f"{prefix}assessments/<slug:department>/"

urlpatterns: list = [
    # Self-assessment (ev-assess)
    path(assessment, assessments.AssessmentDetailView.as_view(), name="assessment-detail"),
    path(f"{assessment}edit/", assessments.AssessmentEditView.as_view(), name="assessment-edit"),
    path(
        f"{assessment}submit/", assessments.AssessmentSubmitView.as_view(), name="assessment-submit"
    ),
    path(
        f"{assessment}return/", assessments.AssessmentReturnView.as_view(), name="assessment-return"
    ),
    path(f"{assessment}evidence/add/", assessments.EvidenceAddView.as_view(), name="evidence-add"),
    path(
        f"{assessment}evidence/<int:pk>/",
        assessments.EvidenceFileView.as_view(),
        name="evidence-file",
    ),
    path(
        f"{assessment}evidence/<int:pk>/remove/",
        assessments.EvidenceRemoveView.as_view(),
        name="evidence-remove",
    ),
    # Checking, adjustments and publication (ev-check)
    path(
        "<slug:code>/<int:year>/checking/",
        checking.CheckingDetailView.as_view(),
        name="checking-detail",
    ),
    path(
        "<slug:code>/<int:year>/checking/method/",
        checking.CheckingModeView.as_view(),
        name="checking-mode",
    ),
    path(
        "<slug:code>/<int:year>/checking/assign/",
        checking.CheckerAssignView.as_view(),
        name="checking-assign",
    ),
    path(
        "<slug:code>/<int:year>/checking/scores/<int:pk>/propose/",
        checking.ScoreFormView.as_view(),
        name="adjustment-propose",
    ),
    path(
        "<slug:code>/<int:year>/checking/adjustments/<int:pk>/decide/",
        checking.AdjustmentDecideView.as_view(),
        name="adjustment-decide",
    ),
    path(
        "<slug:code>/<int:year>/checking/adjustments/<int:pk>/answer/",
        checking.AdjustmentAnswerView.as_view(),
        name="adjustment-answer",
    ),
    path(
        "<slug:code>/<int:year>/checking/<slug:department>/finalise/",
        checking.AssessmentFinaliseView.as_view(),
        name="checking-finalise",
    ),
    path(
        "<slug:code>/<int:year>/assessments/<slug:department>/check/",
        checking.AssessmentCheckView.as_view(),
        name="assessment-check",
    ),
    path(
        "<slug:code>/<int:year>/publish/",
        checking.EvaluationPublishView.as_view(),
        name="evaluation-publish",
    ),
]

"""URLs of the year-end evaluation, under /evaluations/<cluster code>/<year>/."""

from django.urls import path

from evaluations.views import checking

app_name = "evaluations"

urlpatterns: list = [
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

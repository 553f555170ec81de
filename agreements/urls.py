from django.urls import path

from agreements import views

app_name = "agreements"

prefix = "<slug:code>/<int:year>/"

urlpatterns = [
    path("verify/", views.PdfVerifyView.as_view(), name="pdf-verify"),
    path(f"{prefix}", views.CovenantDetailView.as_view(), name="covenant-detail"),
    path(f"{prefix}new/", views.CovenantCreateView.as_view(), name="covenant-create"),
    path(f"{prefix}edit/", views.CovenantUpdateView.as_view(), name="covenant-update"),
    path(f"{prefix}open/", views.CovenantOpenView.as_view(), name="covenant-open"),
    path(
        f"{prefix}new-version/", views.CovenantNewVersionView.as_view(), name="covenant-new-version"
    ),
    path(f"{prefix}sign/", views.CovenantSignView.as_view(), name="covenant-sign"),
    path(f"{prefix}decline/", views.CovenantDeclineView.as_view(), name="covenant-decline"),
    path(f"{prefix}board/", views.CovenantBoardView.as_view(), name="covenant-board"),
    path(f"{prefix}remind/", views.CovenantRemindView.as_view(), name="covenant-remind"),
    path(f"{prefix}paper/", views.CovenantPaperSignatureView.as_view(), name="covenant-paper"),
    path(f"{prefix}close/", views.CovenantCloseView.as_view(), name="covenant-close"),
    path(f"{prefix}audit/", views.CovenantAuditView.as_view(), name="covenant-audit"),
    path(f"{prefix}pdf/", views.CovenantPdfView.as_view(), name="covenant-pdf"),
    path(
        f"{prefix}signatures/<int:pk>/scan/",
        views.SignatureScanView.as_view(),
        name="signature-scan",
    ),
]

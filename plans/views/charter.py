"""Pages of the cluster charter: versions, articles, comments, comparison and the PDF."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from cluster_portal.http import pdf_response
from cluster_portal.pdf import render_pdf
from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import ServiceFormMixin
from members import selectors as member_selectors
from members.permissions import can_view_cluster_year
from plans import permissions, selectors, services
from plans.forms import (
    CharterAdoptForm,
    CharterAnswerForm,
    CharterArticleForm,
    CharterCommentForm,
    CharterCompareForm,
    CharterVersionCreateForm,
    CharterVersionForm,
    ConfirmForm,
)
from plans.views.base import FormPageMixin

# Charter


class ClusterObjectMixin(ObjectPermissionMixin):
    view_permission = staticmethod(permissions.can_view_charter)
    permission = staticmethod(permissions.can_view_charter)

    def load_object(self):
        return member_selectors.cluster_get(code=self.kwargs["code"])


class CharterVersionListView(ClusterObjectMixin, TemplateView):
    """Every version of a cluster's charter; the one in force stands out."""

    template_name = "plans/charter/charterversion_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cluster = self.get_object()
        every_version = selectors.charter_version_list(cluster=cluster)
        # Only the versions of years the user may read: a former member does not see later
        # drafts (the predicate asks the database nothing per version).
        versions = [
            v for v in every_version if permissions.can_view_charter_version(self.request.user, v)
        ]
        latest_year = selectors.cluster_year_get_latest(cluster=cluster)
        context.update(
            cluster=cluster,
            versions=versions,
            in_force=selectors.charter_version_get_in_force(versions),
            can_create=latest_year is not None
            and permissions.can_create_charter_version(self.request.user, latest_year)
            and not any(not v.is_adopted for v in every_version),
        )
        return context


class CharterVersionCreateView(ObjectPermissionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Start a new draft from the latest version (secretariat of the latest year)."""

    view_permission = staticmethod(can_view_cluster_year)
    permission = staticmethod(permissions.can_create_charter_version)
    form_class = CharterVersionCreateForm
    submit_label = gettext_lazy("Start the draft")
    intro = gettext_lazy(
        "The new draft starts as a copy of the latest version's articles; members comment "
        "once you open it for comments."
    )
    success_message = gettext_lazy("The draft has been created.")

    def load_object(self):
        cluster = member_selectors.cluster_get(code=self.kwargs["code"])
        latest = selectors.cluster_year_get_latest(cluster=cluster)
        if latest is None:
            raise Http404
        return latest

    def get_page_title(self):
        return _("New charter version")

    def get_cancel_url(self):
        return reverse("plans:charterversion-list", kwargs={"code": self.kwargs["code"]})

    def perform(self, form):
        return services.charter_version_create(
            cluster_year=self.get_object(),
            title=form.cleaned_data["title"],
            by=self.request.user,
        )


class CharterVersionMixin(ObjectPermissionMixin):
    view_permission = staticmethod(permissions.can_view_charter_version)
    permission = staticmethod(permissions.can_view_charter_version)

    def load_object(self):
        return selectors.charter_version_get(pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()

    def get_breadcrumbs(self):
        version = self.get_object()
        return [
            (
                _("Charter"),
                reverse("plans:charterversion-list", kwargs={"code": version.cluster.code}),
            ),
            (_("Version %(number)s") % {"number": version.number}, version.get_absolute_url()),
        ]


class CharterVersionDetailView(CharterVersionMixin, DetailView):
    """A version with its articles and, under each, the members' comments and answers."""

    template_name = "plans/charter/charterversion_detail.html"
    context_object_name = "version"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object
        context["cluster"] = version.cluster
        context["articles"] = version.articles.all()
        context["comment_form"] = CharterCommentForm()
        context["breadcrumbs"] = [
            (
                _("Charter"),
                reverse("plans:charterversion-list", kwargs={"code": version.cluster.code}),
            )
        ]
        return context


class CharterVersionUpdateView(CharterVersionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Edit a draft's title, preamble and voting rules (secretariat)."""

    permission = staticmethod(permissions.can_edit_charter_version)
    form_class = CharterVersionForm
    success_message = gettext_lazy("The draft has been saved.")

    def get_page_title(self):
        return _("Edit the draft")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy of its own: the model form writes the posted values on its instance.
        kwargs["instance"] = selectors.charter_version_get_for_form(pk=self.get_object().pk)
        return kwargs

    def perform(self, form):
        return services.charter_version_update(
            version=self.get_object(),
            title=form.cleaned_data["title"],
            preamble=form.cleaned_data["preamble"],
            **{name: form.cleaned_data.get(name) for name in form.VOTING_RULES},
            by=self.request.user,
        )


class CharterVersionActionView(CharterVersionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """A confirmed state change of a version: one service, then back to the version."""

    form_class = ConfirmForm

    def change(self, version):
        raise NotImplementedError

    def perform(self, form):
        return self.change(self.get_object())


class CharterVersionOpenView(CharterVersionActionView):
    """Open a draft for the members' comments."""

    permission = staticmethod(permissions.can_open_charter_version)
    submit_label = gettext_lazy("Open for comments")
    intro = gettext_lazy(
        "Members of the cluster will be able to comment on each article. The text cannot "
        "be changed while it is open; take it back to draft to revise it."
    )
    success_message = gettext_lazy("The version is open for comments.")

    def get_page_title(self):
        return _("Open this version for comments?")

    def change(self, version):
        return services.charter_version_open(version=version, by=self.request.user)


class CharterVersionReturnToDraftView(CharterVersionActionView):
    """Take a version open for comments back to draft, to revise it."""

    permission = staticmethod(permissions.can_return_charter_version_to_draft)
    submit_label = gettext_lazy("Back to draft")
    intro = gettext_lazy("Comments are kept; members cannot add new ones until you reopen it.")
    success_message = gettext_lazy("The version is a draft again.")

    def get_page_title(self):
        return _("Take this version back to draft?")

    def change(self, version):
        return services.charter_version_return_to_draft(version=version, by=self.request.user)


class CharterVersionAdoptView(CharterVersionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Record the conference's adoption of the version (secretariat); then read-only."""

    permission = staticmethod(permissions.can_adopt_charter_version)
    form_class = CharterAdoptForm
    submit_label = gettext_lazy("Record the adoption")
    intro = gettext_lazy(
        "Once adopted, the version is read-only for ever and in force until a newer "
        "version is adopted."
    )
    success_message = gettext_lazy("The adoption has been recorded.")

    def get_page_title(self):
        return _("Record the adoption")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["conferences"] = selectors.conference_list(cluster=self.get_object().cluster)
        return kwargs

    def perform(self, form):
        return services.charter_version_adopt(
            version=self.get_object(),
            adopted_on=form.cleaned_data["adopted_on"],
            conference=form.cleaned_data["conference"],
            by=self.request.user,
        )


class CharterVersionCompareView(CharterVersionMixin, TemplateView):
    """What changed between two versions, article by article."""

    permission = staticmethod(permissions.can_compare_charter_versions)
    template_name = "plans/charter/charterversion_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.get_object()
        default = selectors.charter_version_get_compared_by_default(version=version)
        form = CharterCompareForm(
            self.request.GET or None,
            versions=selectors.charter_version_list_to_compare(version=version),
            initial={"against": default.pk if default else None},
        )
        other = None
        if form.is_valid():
            other = form.cleaned_data["against"]
        elif not self.request.GET:
            other = default
        changes = None
        if other is not None:
            other = selectors.charter_version_get(pk=other.pk)
            old, new = sorted([version, other], key=lambda v: v.number)
            changes = selectors.charter_diff(old=old, new=new)
            context.update(old=old, new=new)
        context.update(
            version=version,
            cluster=version.cluster,
            form=form,
            changes=changes,
            breadcrumbs=self.get_breadcrumbs(),
        )
        return context


class CharterArticleCreateView(CharterVersionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Add an article to a draft (secretariat)."""

    permission = staticmethod(permissions.can_edit_charter_version)
    form_class = CharterArticleForm
    success_message = gettext_lazy("The article has been added.")

    def get_page_title(self):
        return _("New article")

    def get_initial(self):
        return {"number": selectors.charter_article_next_number(version=self.get_object())}

    def perform(self, form):
        data = form.cleaned_data
        return services.charter_article_create(
            version=self.get_object(),
            number=data["number"],
            heading=data["heading"],
            body=data["body"],
            by=self.request.user,
        )


class CharterArticleMixin(ObjectPermissionMixin):
    view_permission = staticmethod(permissions.can_view_charter_article)

    def load_object(self):
        return selectors.charter_article_get(pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()


def _can_edit_article(user, article):
    return permissions.can_edit_charter_version(user, article.version)


class CharterArticleUpdateView(CharterArticleMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Change an article of a draft (secretariat)."""

    permission = staticmethod(_can_edit_article)
    form_class = CharterArticleForm
    success_message = gettext_lazy("The article has been saved.")

    def get_page_title(self):
        return _("Edit article %(number)s") % {"number": self.get_object().number}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_object()
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        return services.charter_article_update(
            article=self.get_object(),
            number=data["number"],
            heading=data["heading"],
            body=data["body"],
            by=self.request.user,
        )


class CharterArticleDeleteView(CharterArticleMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Remove an article from a draft (secretariat), with confirmation."""

    permission = staticmethod(_can_edit_article)
    form_class = ConfirmForm
    submit_label = gettext_lazy("Remove")
    success_message = gettext_lazy("The article has been removed.")

    def get_page_title(self):
        return _("Remove article %(number)s?") % {"number": self.get_object().number}

    def perform(self, form):
        article = self.get_object()
        services.charter_article_delete(article=article, by=self.request.user)
        return article.version


def _can_comment_on_article(user, article):
    return permissions.can_comment_on_charter_version(user, article.version)


class CharterCommentCreateView(CharterArticleMixin, FormPageMixin, ServiceFormMixin, FormView):
    """A member comments on one article of a version open for comments."""

    permission = staticmethod(_can_comment_on_article)
    form_class = CharterCommentForm
    submit_label = gettext_lazy("Send the comment")
    success_message = gettext_lazy("Your comment has been sent to the secretariat.")

    def get_page_title(self):
        return _("Comment on %(article)s") % {"article": self.get_object()}

    def perform(self, form):
        return services.charter_comment_create(
            article=self.get_object(), body=form.cleaned_data["body"], by=self.request.user
        )


class CharterCommentAnswerView(ObjectPermissionMixin, FormPageMixin, ServiceFormMixin, FormView):
    """The secretariat answers or resolves a comment."""

    view_permission = staticmethod(permissions.can_view_charter_comment)
    permission = staticmethod(permissions.can_answer_charter_comment)
    form_class = CharterAnswerForm
    submit_label = gettext_lazy("Save the answer")
    success_message = gettext_lazy("The answer has been recorded.")

    def load_object(self):
        return selectors.charter_comment_get(pk=self.kwargs["pk"])

    def get_page_title(self):
        return _("Answer the comment")

    @property
    def intro(self):
        comment = self.get_object()
        return f"{comment.article} – {comment.author}: “{comment.body}”"

    def get_initial(self):
        comment = self.get_object()
        return {"answer": comment.answer, "resolve": comment.status == "resolved"}

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()

    def perform(self, form):
        return services.charter_comment_answer(
            comment=self.get_object(),
            answer=form.cleaned_data["answer"],
            resolve=form.cleaned_data["resolve"],
            by=self.request.user,
        )


class CharterVersionPdfView(CharterVersionMixin, View):
    """A charter version as a Decree 30 PDF (watermarked "DỰ THẢO" until adopted)."""

    def get(self, request, *args, **kwargs):
        version = self.get_object()
        context = selectors.charter_pdf_context(version=version)
        suffix = "" if context["is_final"] else "-du-thao"
        filename = f"quy-che-{version.cluster.code}-v{version.number}{suffix}.pdf"
        return pdf_response(render_pdf("pdf/charter.html", context), filename=filename)

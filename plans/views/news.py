"""News pages: the public list and posts, and writing, publishing and withdrawing them."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from cluster_portal.permissions import ObjectPermissionMixin
from cluster_portal.views import ServiceFormMixin
from plans import permissions, selectors, services
from plans.forms import ConfirmForm, NewsPostCreateForm, NewsPostForm, NewsPublishForm
from plans.views.base import (
    ClusterYearObjectMixin,
    FormPageMixin,
    PublicObjectPermissionMixin,
)

# News


class NewsListView(ListView):
    """Published news, newest first (public); logged-in users also see drafts they may edit."""

    template_name = "plans/news/newspost_list.html"
    context_object_name = "posts"
    paginate_by = 20

    def get_queryset(self):
        return selectors.news_post_list_published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["drafts"] = selectors.news_post_list_drafts(user=user)
        context["writable_years"] = (
            selectors.cluster_year_list_for_news(user=user) if user.is_authenticated else []
        )
        return context


class NewsPostDetailView(PublicObjectPermissionMixin, DetailView):
    """A news post with its photos: public once published."""

    permission = staticmethod(permissions.can_view_news_post)
    template_name = "plans/news/newspost_detail.html"
    context_object_name = "post"

    def load_object(self):
        return selectors.news_post_get(pk=self.kwargs["pk"])


class NewsPostCreateView(ClusterYearObjectMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Write a news post (a draft) for a cluster year."""

    permission = staticmethod(permissions.can_create_news_post)
    form_class = NewsPostCreateForm
    multipart = True
    submit_label = gettext_lazy("Save the draft")
    intro = gettext_lazy("The post stays a draft, visible to members only, until you publish it.")
    success_message = gettext_lazy("The draft has been saved.")

    def get_page_title(self):
        cluster_year = self.get_object()
        return _("News for %(cluster)s – %(year)s") % {
            "cluster": cluster_year.cluster.name,
            "year": cluster_year.year,
        }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        cluster_year = self.get_object()
        kwargs["departments"] = selectors.department_list_for_news(
            user=self.request.user, cluster_year=cluster_year
        )
        kwargs["activities"] = selectors.activity_list_for_news(cluster_year=cluster_year)
        return kwargs

    def get_initial(self):
        return {"author_department": self.request.user.department_id}

    def get_cancel_url(self):
        return reverse("plans:news-public-list")

    def perform(self, form):
        data = form.cleaned_data
        return services.news_post_create(
            cluster_year=self.get_object(),
            title=data["title"],
            body=data["body"],
            author_department=data["author_department"],
            author_name=data["author_name"],
            activity=data["activity"],
            photo=data.get("image"),
            photo_caption=data.get("caption", ""),
            by=self.request.user,
        )


class NewsPostMixin(ObjectPermissionMixin):
    view_permission = staticmethod(permissions.can_view_news_post)
    permission = staticmethod(permissions.can_edit_news_post)

    def load_object(self):
        return selectors.news_post_get(pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return self.get_object().get_absolute_url()


class NewsPostUpdateView(NewsPostMixin, FormPageMixin, ServiceFormMixin, FormView):
    """Edit a news post."""

    form_class = NewsPostForm
    success_message = gettext_lazy("The news post has been saved.")

    def get_page_title(self):
        return _("Edit the news post")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        post = self.get_object()
        kwargs["instance"] = post
        kwargs["departments"] = selectors.department_list_for_news(
            user=self.request.user, cluster_year=post.cluster_year
        )
        kwargs["activities"] = selectors.activity_list_for_news(cluster_year=post.cluster_year)
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        return services.news_post_update(
            post=self.get_object(),
            title=data["title"],
            body=data["body"],
            author_department=data["author_department"],
            author_name=data["author_name"],
            activity=data["activity"],
            by=self.request.user,
        )


class NewsPostPublishView(NewsPostMixin, FormPageMixin, FormView):
    """Publish a post: anyone can then read it without logging in."""

    form_class = NewsPublishForm
    submit_label = gettext_lazy("Publish")
    intro = gettext_lazy(
        "Once published, the post is public: anyone can read it without logging in."
    )

    def get_page_title(self):
        return _("Publish “%(title)s”?") % {"title": self.get_object().title}

    def form_valid(self, form):
        post = services.news_post_publish(
            post=self.get_object(),
            published_on=form.cleaned_data["published_on"],
            by=self.request.user,
        )
        messages.success(self.request, _("The news post has been published."))
        return redirect(post)


class NewsPostWithdrawView(NewsPostMixin, FormPageMixin, FormView):
    """Take a published post back to draft."""

    form_class = ConfirmForm
    submit_label = gettext_lazy("Withdraw")
    intro = gettext_lazy("The post will no longer be public; it becomes a draft again.")

    def get_page_title(self):
        return _("Withdraw “%(title)s”?") % {"title": self.get_object().title}

    def form_valid(self, form):
        post = services.news_post_withdraw(post=self.get_object(), by=self.request.user)
        messages.success(self.request, _("The news post has been withdrawn."))
        return redirect(post)

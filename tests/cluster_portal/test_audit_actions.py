"""The registry of audit actions (``cluster_portal.audit``): one list, labels for pages and PDFs."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.template import Context, Template
from django.utils import translation

from agreements.audit import AgreementAction
from cluster_portal.audit import AuthAction, action_label, register_actions
from members.audit import MembersAction


def test_every_app_s_actions_are_registered_at_start_up():
    for actions in (AuthAction, AgreementAction, MembersAction):
        for member in actions:
            assert action_label(member.value) == str(member.label)


def test_an_unknown_action_code_is_shown_as_it_is():
    assert action_label("plans.something_new") == "plans.something_new"


def test_the_label_follows_the_active_language():
    with translation.override("vi"):
        assert action_label("covenant.issued") == "Đã phát hành bản PDF"
    with translation.override("en"):
        assert action_label("covenant.issued") == "PDF issued"


def test_registering_an_action_code_another_app_already_has_fails():
    class Clash(models.TextChoices):
        ISSUED = "covenant.issued", "Something else"

    with pytest.raises(ImproperlyConfigured, match=r"covenant\.issued"):
        register_actions(Clash)
    assert action_label("covenant.issued") == str(AgreementAction.COVENANT_ISSUED.label)


def test_registering_the_same_choices_twice_is_harmless():
    register_actions(AgreementAction)
    assert action_label("covenant.closed") == str(AgreementAction.COVENANT_CLOSED.label)


def test_templates_show_the_registered_label():
    template = Template("{% load portal %}{{ action|audit_label }}")
    with translation.override("en"):
        assert template.render(Context({"action": "membership.added"})) == "Member added"

"""The policy models' field builders declare what the models spelt out before."""

from django.utils.translation import gettext_lazy as _

from policy.constants import Acceptance
from policy.models.recommendations import acceptance_field


def test_an_acceptance_field_is_pending_until_the_council_or_college_answers():
    _name, _path, _args, kwargs = acceptance_field(_("council's decision")).deconstruct()

    assert kwargs == {
        "verbose_name": _("council's decision"),
        "max_length": 10,
        "choices": Acceptance.choices,
        "default": Acceptance.PENDING,
    }

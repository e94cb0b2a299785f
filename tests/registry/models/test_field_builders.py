"""The registry's field builders declare what the models spelt out before they existed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import section_field
from registry.models.places import source_field


def _options(field) -> dict:
    _name, _path, _args, kwargs = field.deconstruct()
    return kwargs


def test_a_section_field_is_an_optional_page_or_section_of_up_to_200_characters():
    assert _options(section_field()) == {
        "verbose_name": _("page or section"),
        "max_length": 200,
        "blank": True,
    }


def test_a_section_field_may_name_the_passage_it_locates():
    field = section_field(_("its page or section"))

    assert _options(field)["verbose_name"] == _("its page or section")


def test_a_source_field_protects_the_source_it_cites():
    assert _options(source_field()) == {
        "to": "registry.source",
        "on_delete": models.PROTECT,
        "verbose_name": _("source"),
    }


def test_a_source_field_passes_a_related_name_on():
    field = source_field(related_name="import_batches")

    assert _options(field)["related_name"] == "import_batches"

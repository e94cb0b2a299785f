"""Forms without a field list (the admin's) and the history list fields in model order, so the
shared base of a report's items must leave each field where the model declares it."""

from policy.models import AttentionPoint, ContextNote


def _names(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if field.name != "id"]


def test_an_attention_point_lists_its_report_and_number_first_and_its_section_last():
    assert _names(AttentionPoint) == [
        "state",
        "report",
        "number",
        "title",
        "explanation",
        "theme",
        "source_section",
    ]


def test_a_context_note_lists_its_section_before_where_it_is_shown():
    assert _names(ContextNote) == [
        "state",
        "report",
        "number",
        "title",
        "body",
        "source_section",
        "placement",
    ]

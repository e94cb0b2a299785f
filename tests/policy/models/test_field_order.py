"""The shared base of a report's items leaves each field where the model declares it."""

from policy.models import AttentionPoint, ContextNote
from tests.builders import field_names


def test_an_attention_point_lists_its_report_and_number_first_and_its_section_last():
    assert field_names(AttentionPoint) == [
        "state",
        "report",
        "number",
        "title",
        "explanation",
        "theme",
        "source_section",
    ]


def test_a_context_note_lists_its_section_before_where_it_is_shown():
    assert field_names(ContextNote) == [
        "state",
        "report",
        "number",
        "title",
        "body",
        "source_section",
        "placement",
    ]

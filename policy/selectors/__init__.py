"""The read API of the policy app, one module per part of the work.

`findings` reads the matrix, attention points, conclusions, recommendations
and indicators; `rounds` reads prioritisation rounds and their results;
`followup` reads the recommendation monitor and `followup_export` writes it out for a
download.
"""

from policy.selectors.export import policy_export
from policy.selectors.findings import (
    PUBLISHED,
    attention_point_list,
    conclusion_list,
    indicator_list,
    municipalities_with_policy_cells,
    policy_cell_list,
    recommendation_current_status,
    recommendation_list,
)
from policy.selectors.programme import context_note_list, programme_line_list, report_list
from policy.selectors.wording import item_published_wordings, items_changed_after_publication

__all__ = [
    "PUBLISHED",
    "attention_point_list",
    "conclusion_list",
    "context_note_list",
    "indicator_list",
    "item_published_wordings",
    "items_changed_after_publication",
    "municipalities_with_policy_cells",
    "policy_cell_list",
    "policy_export",
    "programme_line_list",
    "recommendation_current_status",
    "recommendation_list",
    "report_list",
]

"""The read API of the policy app, one module per part of the work.

`findings` reads the matrix, attention points, conclusions, recommendations
and indicators; `rounds` reads prioritisation rounds and their results;
`followup` reads the recommendation monitor.
"""

from policy.selectors.findings import (
    PUBLISHED,
    attention_point_list,
    conclusion_list,
    indicator_list,
    municipalities_with_policy_cells,
    policy_cell_list,
    policy_export,
    recommendation_current_status,
    recommendation_list,
)

__all__ = [
    "PUBLISHED",
    "attention_point_list",
    "conclusion_list",
    "indicator_list",
    "municipalities_with_policy_cells",
    "policy_cell_list",
    "policy_export",
    "recommendation_current_status",
    "recommendation_list",
]

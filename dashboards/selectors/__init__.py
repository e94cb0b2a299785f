"""The read API of the dashboard pages: every chart's data, text and figure.

One module per page (`overview`, `compare`, `register`, `matrix`, `findings`,
`indicators`, `pack`, `programme`), `snapshots` for the debate packs frozen for meetings,
and `common` for what several pages share. Each page builder reads through the
apps' selectors in a fixed number of queries, whatever the number of
municipalities or years, and returns charts whose table, download and figure
are the same numbers. The names below are what views and services call.
"""

from dashboards.selectors.compare import compare_page
from dashboards.selectors.findings import findings_page
from dashboards.selectors.indicators import indicators_page
from dashboards.selectors.matrix import matrix_page
from dashboards.selectors.overview import overview_page
from dashboards.selectors.pack import pack_page
from dashboards.selectors.programme import programme_page
from dashboards.selectors.register import register_page
from dashboards.selectors.snapshots import (
    SnapshotPage,
    meeting_snapshot_changes,
    meeting_snapshot_get,
    meeting_snapshot_list,
    meeting_snapshot_municipality_list,
    meeting_snapshot_page,
    pack_frozen,
)

__all__ = [
    "SnapshotPage",
    "compare_page",
    "findings_page",
    "indicators_page",
    "matrix_page",
    "meeting_snapshot_changes",
    "meeting_snapshot_get",
    "meeting_snapshot_list",
    "meeting_snapshot_municipality_list",
    "meeting_snapshot_page",
    "overview_page",
    "pack_frozen",
    "pack_page",
    "programme_page",
    "register_page",
]

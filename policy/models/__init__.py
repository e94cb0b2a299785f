"""The audit office's findings and the municipality's policy, as data.

Reports hold numbered attention points, conclusions and recommendations; the
policy matrix holds, per municipality, group and theme, what the law requires
and what the municipality does now. One module per concept; import the models
from here.
"""

from policy.models.base import BilingualLabelMixin, Publishable, PublishableQuerySet
from policy.models.findings import AttentionPoint, Conclusion, PolicyCell, Report
from policy.models.programme import ContextNote, Indicator, ProgrammeLine
from policy.models.recommendations import Recommendation, RecommendationStatusChange
from policy.models.reference import MigrantGroup, PolicyTheme
from policy.models.rounds import Ballot, BallotEntry, PrioritisationRound

__all__ = [
    "AttentionPoint",
    "Ballot",
    "BallotEntry",
    "BilingualLabelMixin",
    "Conclusion",
    "ContextNote",
    "Indicator",
    "MigrantGroup",
    "PolicyCell",
    "PolicyTheme",
    "PrioritisationRound",
    "ProgrammeLine",
    "Publishable",
    "PublishableQuerySet",
    "Recommendation",
    "RecommendationStatusChange",
    "Report",
]

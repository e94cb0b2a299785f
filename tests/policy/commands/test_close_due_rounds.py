"""`manage.py close_due_rounds`: closes the open rounds whose end has passed."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from policy.constants import RoundState
from tests.policy.round_builders import (
    a_round,
    member,
    ranking,
    vote,
)

pytestmark = pytest.mark.django_db


# --- Closing when the end has passed ---


def test_the_close_command_closes_only_open_rounds_whose_end_has_passed():
    past = a_round(closes_at=timezone.now() - datetime.timedelta(minutes=1), title="Voorbij")
    future = a_round(title="Nog open")
    vote(future, member("lid-toekomst"), ranking(*future.attention_points.order_by("number")))
    out = io.StringIO()

    call_command("close_due_rounds", stdout=out)

    past.refresh_from_db()
    future.refresh_from_db()
    assert (past.state, future.state) == (RoundState.CLOSED, RoundState.OPEN)
    assert past.result["ballots"] == 0
    assert "Voorbij" in out.getvalue()

"""Forms of prioritisation rounds: the clerk's round form and a member's ballot.

The forms read and check input; the services in `policy.services.rounds`
store it, and check the same rules again under the round's lock.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from policy.constants import BallotMethod, RoundState
from policy.models import AttentionPoint, PrioritisationRound, Report
from policy.selectors.rounds import round_attention_point_choices, round_municipality_options
from policy.services.rounds import ballot_entries_check, round_check
from registry.constants import YEAR_MAX, YEAR_MIN
from registry.models import Municipality

POINTS_BUDGET_MAX = 1000
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


@dataclass
class PointOption:
    point: AttentionPoint
    checked: bool
    id: str


@dataclass
class PointGroup:
    report: Report
    options: list[PointOption]


class RoundForm(forms.Form):
    """A round in preparation; once open, only its title, period and end can change."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=None
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “Prioriteiten 2026–2030”."),
    )
    period_start = forms.IntegerField(
        label=_("Period from (year)"), min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    period_end = forms.IntegerField(
        label=_("Period to (year)"), min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=BallotMethod.choices, widget=forms.RadioSelect
    )
    points_budget = forms.IntegerField(
        label=_("Points per member"),
        required=False,
        min_value=1,
        max_value=POINTS_BUDGET_MAX,
        help_text=_("Only for the points method: how many points each member distributes."),
    )
    closes_at = forms.DateTimeField(
        label=_("Voting ends at"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("Date and time (Dutch time) after which no ballot is accepted."),
    )
    attention_points = forms.ModelMultipleChoiceField(
        label=_("Attention points to rank"),
        queryset=AttentionPoint.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least two attention points to rank.")},
    )

    def __init__(
        self, *args, round_: PrioritisationRound | None = None, user=None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.round = round_
        # A clerk prepares rounds only for the councils they work for.
        self.fields["municipality"].queryset = round_municipality_options(user=user)
        self.fields["attention_points"].queryset = round_attention_point_choices()
        if round_ is not None and round_.state != RoundState.DRAFT:
            for name in ("municipality", "method", "points_budget", "attention_points"):
                self.fields[name].disabled = True

    @property
    def locked(self) -> bool:
        """Whether the method, points and attention points are fixed (the round is open)."""
        return self.round is not None and self.round.state != RoundState.DRAFT

    def clean(self) -> dict:
        data = super().clean()
        method = data.get("method")
        if method == BallotMethod.RANKING:
            data["points_budget"] = None
        needed = ("municipality", "period_start", "period_end", "method", "closes_at")
        if self.errors or any(data.get(name) is None for name in needed):
            return data
        try:
            round_check(
                municipality=data["municipality"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                method=method,
                points_budget=data.get("points_budget"),
                closes_at=data["closes_at"],
                attention_points=None if self.locked else data.get("attention_points", []),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return data

    def point_groups(self) -> list[PointGroup]:
        """The choosable attention points per report, the chosen municipality's first."""
        field = self["attention_points"]
        chosen = {str(value) for value in (field.value() or [])}
        municipality = str(self["municipality"].value() or "")
        groups: dict[int, PointGroup] = {}
        for point in self.fields["attention_points"].queryset:
            group = groups.setdefault(point.report_id, PointGroup(report=point.report, options=[]))
            group.options.append(
                PointOption(
                    point=point,
                    checked=str(point.pk) in chosen,
                    id=f"{field.auto_id}_{point.pk}",
                )
            )
        return sorted(
            groups.values(),
            key=lambda group: str(group.report.municipality_id) != municipality,
        )


def round_form_initial(*, round_: PrioritisationRound) -> dict:
    return {
        "municipality": round_.municipality_id,
        "title": round_.title,
        "period_start": round_.period_start,
        "period_end": round_.period_end,
        "method": round_.method,
        "points_budget": round_.points_budget,
        "closes_at": round_.closes_at,
        "attention_points": [point.pk for point in round_.attention_points.all()],
    }


@dataclass
class BallotRow:
    point: AttentionPoint
    field: forms.BoundField


class BallotForm(forms.Form):
    """One field per attention point of the round: its place, or its points."""

    def __init__(
        self,
        *args,
        round_: PrioritisationRound,
        points: list[AttentionPoint],
        values: dict[int, int] | None = None,
        **kwargs,
    ) -> None:
        """`values`: the member's stored ballot (place or points per attention point id)."""
        super().__init__(*args, **kwargs)
        self.round = round_
        self.points = points
        self.ranking = round_.method == BallotMethod.RANKING
        self.prefix_name = "rank" if self.ranking else "points"
        size = len(points)
        for place, point in enumerate(points, start=1):
            if self.ranking:
                field: forms.Field = forms.TypedChoiceField(
                    label=_("Place"),
                    choices=[(rank, rank) for rank in range(1, size + 1)],
                    coerce=int,
                    initial=place,
                    error_messages={"required": _("Give this attention point a place.")},
                )
            else:
                field = forms.IntegerField(
                    label=_("Points"),
                    min_value=0,
                    max_value=round_.points_budget,
                    initial=0,
                    error_messages={
                        "required": _("Give this attention point its points (0 or more).")
                    },
                )
                field.widget.attrs.update({"inputmode": "numeric", "class": "points-input"})
            self.fields[self.field_name(point)] = field
            if values and values.get(point.pk) is not None:
                self.initial[self.field_name(point)] = values[point.pk]

    def field_name(self, point: AttentionPoint) -> str:
        return f"{self.prefix_name}_{point.pk}"

    def clean(self) -> dict:
        data = super().clean()
        known = {self.field_name(point) for point in self.points}
        prefix = f"{self.prefix_name}_"
        if any(key.startswith(prefix) and key not in known for key in self.data):
            raise ValidationError(
                _("Your ballot names an attention point that is not part of this round.")
            )
        if self.errors:
            return data
        try:
            ballot_entries_check(round_=self.round, points=self.points, values=self.values())
        except ValidationError as error:
            self.add_error(None, error)
        return data

    def values(self) -> dict[int, int | None]:
        return {point.pk: self.cleaned_data.get(self.field_name(point)) for point in self.points}

    def rows(self) -> list[BallotRow]:
        """The attention points with their fields; a ranking in the order of its places."""
        rows = [BallotRow(point=point, field=self[self.field_name(point)]) for point in self.points]
        if not self.ranking:
            return rows

        def place(row: BallotRow) -> int:
            try:
                return int(row.field.value())
            except (TypeError, ValueError):
                return len(rows) + 1

        return sorted(rows, key=place)

    def total(self) -> int:
        """The points given so far, as the page shows them before any script runs."""
        total = 0
        for row in self.rows():
            try:
                total += max(int(row.field.value()), 0)
            except (TypeError, ValueError):
                continue
        return total

"""Forms of the dashboards: freezing a debate pack for a council meeting."""

from collections.abc import Callable

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from dashboards.filters import FilterError, filters_from_query
from registry.models import Municipality


class MeetingSnapshotForm(forms.Form):
    """Title, meeting date and agenda item, and the debate pack's query string.

    The pack travels as the query string of the debate pack page (hidden), so
    the snapshot keeps exactly the charts, findings and filters the clerk saw.
    """

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the snapshot a title.")},
    )
    meeting_date = forms.DateField(
        label=_("Date of the council meeting"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the date of the council meeting."),
            "invalid": _("Give the date as day-month-year, for example 23-11-2026."),
        },
    )
    agenda_item = forms.CharField(
        label=_("Agenda item"),
        max_length=200,
        error_messages={"required": _("Give the agenda item, for example 7 or 7b.")},
    )
    pack = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        municipalities: dict[str, Municipality],
        comparison_groups: dict[str, list[str]],
        default: Callable[[], Municipality],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._municipalities = municipalities
        self._comparison_groups = comparison_groups
        self._default = default

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            filters = filters_from_query(
                params=QueryDict(cleaned.get("pack") or ""),
                municipalities=self._municipalities,
                comparison_groups=self._comparison_groups,
                default=self._default,
            )
        except FilterError as error:
            raise forms.ValidationError(str(error), code="filter") from error
        if not filters.include:
            raise forms.ValidationError(
                _("Choose at least one chart or the findings before you freeze the pack."),
                code="empty",
            )
        cleaned["filters"] = filters
        return cleaned

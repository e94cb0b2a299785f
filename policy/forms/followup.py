"""Forms for recording a recommendation's follow-up; the services check and save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policy.constants import Acceptance, RecommendationStatus, StatusReporter


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date(label, help_text="") -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput, help_text=help_text)


class FollowupForm(forms.Form):
    """The council's decision and its route, the college's response and its plan."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
    council_acceptance = forms.ChoiceField(
        label=_("Decision of the council"), choices=Acceptance.choices, widget=forms.RadioSelect
    )
    beeldvorming_on = _date(_("Beeldvorming (image forming)"))
    oordeelsvorming_on = _date(_("Oordeelsvorming (opinion forming)"))
    besluitvorming_on = _date(
        _("Besluitvorming (the council's decision)"),
        _("The plan of approach is due six months after this date."),
    )
    route_note = forms.CharField(
        label=_("Note on the council's route"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    college_acceptance = forms.ChoiceField(
        label=_("Response of the college"), choices=Acceptance.choices, widget=forms.RadioSelect
    )
    college_responded_on = _date(_("Date of the college's response"))
    plan_received_on = _date(
        _("Plan of approach received on"), _("Empty while the college has not sent its plan.")
    )


class ProgressForm(forms.Form):
    """A dated progress update with its status and who reported it."""

    changed_on = forms.DateField(
        label=_("Date of the update"),
        widget=DateInput,
        help_text=_("The day the status was reported; not in the future."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=RecommendationStatus.choices, widget=forms.RadioSelect
    )
    reported_by = forms.ChoiceField(
        label=_("Reported by"),
        choices=StatusReporter.choices,
        widget=forms.RadioSelect,
        initial=StatusReporter.AUDIT_OFFICE,
        help_text=_(
            "The college's own reports are shown as its claim; the audit office's and the "
            "council's as the verdict."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example the letter or meeting the update comes from."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["changed_on"].widget.attrs["max"] = today.isoformat()
        self.fields["changed_on"].initial = today

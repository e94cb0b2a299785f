"""Forms for the audit office's texts; the services do the saving."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from policy.models import (
    AttentionPoint,
    Conclusion,
    MigrantGroup,
    PolicyCell,
    PolicyTheme,
    Recommendation,
    Report,
)
from policy.services.editing import InOpenRoundError, item_open_round_check

FORMATTING_HELP = _(
    "Plain text. A blank line starts a new paragraph; lines starting with “- ” or “1. ” make "
    "a list; [text](https://…) makes a link; *text* and **text** emphasise. Anything else, "
    "HTML included, is shown as typed."
)


class ItemRulesForm(forms.ModelForm):
    """What every form that writes a policy item checks, on the editing desk and in the
    admin alike: the model's own rules (its clean() and constraints), and the open-round
    guard, which the services check again under the row lock."""

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds the new values
        try:
            item_open_round_check(instance=self.instance)
        except InOpenRoundError as error:
            self._update_errors(error.as_validation_error())

    def _update_errors(self, errors: ValidationError) -> None:
        # A rule of the model may concern a field this form leaves to another page (the
        # desk's recommendation form leaves the follow-up to its own page); its error is
        # shown above the form, where Django would raise ValueError instead.
        if hasattr(errors, "error_dict"):
            absent = [name for name in errors.error_dict if name not in self.fields]
            for name in absent:
                if name != NON_FIELD_ERRORS:
                    moved = errors.error_dict.pop(name)
                    errors.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(moved)
        super()._update_errors(errors)


class VersionedForm(ItemRulesForm):
    """An edit form that remembers which version of the item it was made from."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
    text_fields: tuple[str, ...] = ()
    # Choices with a default that a form may leave out: left out, the item keeps its value.
    kept_when_missing: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.text_fields:
            self.fields[name].help_text = FORMATTING_HELP
            self.fields[name].widget.attrs["rows"] = 6
        for name in self.kept_when_missing:
            self.fields[name].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.kept_when_missing:
            if not cleaned.get(name):
                cleaned[name] = getattr(self.instance, name)
        return cleaned

    def links(self) -> dict:
        """The many-to-many fields' chosen objects, for the service to set."""
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name in {f.name for f in self._meta.model._meta.many_to_many}
        }


class NumberedFindingForm(VersionedForm):
    """A finding numbered within its report; the report comes from the URL."""

    def __init__(self, *args, report: Report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        self.instance.report = report

    def _get_validation_exclusions(self) -> set[str]:
        # The report comes from the URL, not a field, yet the number is unique within it:
        # the model's constraint checks that, as it does in the admin.
        return super()._get_validation_exclusions() - {"report"}


class ReportForm(VersionedForm):
    text_fields = ("summary",)
    url = forms.URLField(label=_("link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Report
        fields = [
            "title",
            "municipality",
            "kind",
            "author",
            "year",
            "published_on",
            "url",
            "source_document",
            "summary",
            "related_report",
            "date_text",
            "matrix_note",
            "matrix_note_section",
            "conclusions_preamble",
            "conclusions_preamble_section",
            "programme_adopted_on",
            "programme_period",
            "programme_next_step",
            "programme_section",
            "state",
        ]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "programme_adopted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class AttentionPointForm(NumberedFindingForm):
    text_fields = ("explanation",)

    class Meta:
        model = AttentionPoint
        fields = ["number", "title", "explanation", "groups", "theme", "source_section", "state"]
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = MigrantGroup.objects.order_by("order", "slug")
        self.fields["theme"].queryset = PolicyTheme.objects.order_by("order", "slug")


class ConclusionForm(NumberedFindingForm):
    text_fields = ("explanation",)
    kept_when_missing = ("attention_points_basis",)

    class Meta:
        model = Conclusion
        fields = [
            "number",
            "title",
            "explanation",
            "attention_points",
            "attention_points_basis",
            "source_section",
            "state",
        ]
        widgets = {"attention_points": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attention_points"].queryset = AttentionPoint.objects.filter(
            report=self.report
        ).order_by("number")


class RecommendationForm(NumberedFindingForm):
    text_fields = ("explanation",)
    kept_when_missing = ("conclusions_basis", "attention_points_basis")

    class Meta:
        model = Recommendation
        fields = [
            "number",
            "title",
            "explanation",
            "addressee",
            "conclusions",
            "conclusions_basis",
            "attention_points",
            "attention_points_basis",
            "source_section",
            "state",
        ]
        widgets = {
            "conclusions": forms.CheckboxSelectMultiple,
            "attention_points": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conclusions"].queryset = Conclusion.objects.filter(
            report=self.report
        ).order_by("number")
        self.fields["attention_points"].queryset = AttentionPoint.objects.filter(
            report=self.report
        ).order_by("number")


class PolicyCellForm(VersionedForm):
    text_fields = ("note",)  # source_reading is internal: never among the texts readers see
    kept_when_missing = ("unused_room",)

    class Meta:
        model = PolicyCell
        fields = [
            "group",
            "theme",
            "legal_position",
            "policy_status",
            "note",
            "report",
            "source_section",
            "uncertain",
            "uncertain_reason",
            "unused_room",
            "unused_room_source",
            "source_reading",
            "state",
        ]

    def __init__(self, *args, municipality, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.instance.municipality = municipality
        self.fields["theme"].queryset = PolicyTheme.objects.filter(in_matrix=True)
        self.fields["report"].queryset = Report.objects.filter(municipality=municipality)

    def _get_validation_exclusions(self) -> set[str]:
        # As for numbered findings: the municipality comes from the URL, and the model's
        # constraint keeps one cell per municipality, group and theme.
        return super()._get_validation_exclusions() - {"municipality"}

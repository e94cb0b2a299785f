from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models as django_models
from django.db import router, transaction
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from migrantportal.access import OutsideScopeError
from migrantportal.admin_mixins import InvalidatesFiguresAdmin, MunicipalityScopedAdmin
from policy import models
from policy.constants import PublicationState, RoundState
from policy.forms.editing import ItemRulesForm
from policy.selectors.history import item_version
from policy.selectors.round_results import RESULT_WITHHELD, round_result_withheld
from policy.selectors.rounds import round_open_ranking
from policy.services.editing import (
    InOpenRoundError,
    StaleEditError,
    item_save,
    item_stale_check,
    items_delete_check,
    items_state_set,
)
from policy.services.scope import NATIONAL_PERMISSION, item_municipality_path, item_scope_check

# The rules of the policy items live in their models (clean(), constraints) and in
# policy.services.editing; the admin's forms call the same checks as the editing desk's
# (ItemRulesForm), and its saves go through the same service, item_save.


class PolicyItemAdminForm(ItemRulesForm):
    """Also refuses, as the editing desk does, a save based on an outdated version: without
    it, of two people editing the same item the one who saves last silently wins."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = item_version(instance=self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            try:
                # The admin saves in the transaction this runs in, so the lock holds.
                item_stale_check(
                    instance=self.instance, base_version=cleaned.get("base_version") or 0
                )
            except StaleEditError:
                raise ValidationError(
                    _(
                        "Not saved: someone else changed this item after you opened it. "
                        "Open it again to see their change, then make yours."
                    ),
                    code="stale_version",
                ) from None
        return cleaned


class OpenRoundGuardFormSet(BaseInlineFormSet):
    """Refuses deleting, from the report's page, a point that an open round ranks."""

    def clean(self) -> None:
        super().clean()
        try:
            items_delete_check(items=[form.instance for form in self.deleted_forms])
        except InOpenRoundError as error:
            raise ValidationError(
                _(
                    "An attention point that the open prioritisation round “%(round)s” ranks "
                    "cannot be deleted."
                ),
                code="in_open_round",
                params={"round": error.round_title},
            ) from None


def _item_save_from(request, form) -> None:
    """Save a form's item through the editing desk's service: history, the checks under the
    row lock, the publication's audit record. Its many-to-many links are saved after."""
    item_save(
        instance=form.instance,
        links={},
        base_version=form.cleaned_data.get("base_version") or 0,
        user=request.user,
    )


class PolicyScopedAdmin(MunicipalityScopedAdmin):
    """The audit office changes only its own municipalities' items (policy.services.scope),
    national ones with the permission for national reports; reading stays open."""

    scope_national_permission = NATIONAL_PERMISSION
    scope_foreign_keys = {
        "municipality": "pk",
        "report": "municipality",
        "recommendation": "report__municipality",
    }

    @property
    def scope_path(self) -> str:
        return item_municipality_path(model=self.model)


def _nothing_changed(error: OutsideScopeError) -> str:
    return _("Nothing changed: %(reason)s") % {"reason": error.message}


class PublishableAdmin(PolicyScopedAdmin, InvalidatesFiguresAdmin):
    list_filter = ["state"]
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish the selected items"), permissions=["change"])
    def publish(self, request, queryset) -> None:
        try:
            items_state_set(items=queryset, state=PublicationState.PUBLISHED, user=request.user)
        except OutsideScopeError as error:
            self.message_user(request, _nothing_changed(error), level=messages.ERROR)

    @admin.action(description=_("Return the selected items to draft"), permissions=["change"])
    def unpublish(self, request, queryset) -> None:
        try:
            items_state_set(items=queryset, state=PublicationState.DRAFT, user=request.user)
        except OutsideScopeError as error:
            self.message_user(request, _nothing_changed(error), level=messages.ERROR)
        except InOpenRoundError as error:
            self.message_user(
                request,
                _("Nothing changed: “%(round)s” is open and ranks one of these.")
                % {"round": error.round_title},
                level=messages.ERROR,
            )


class HistoryPublishableAdmin(SimpleHistoryAdmin, PublishableAdmin):
    """The admin's History button shows simple-history's record of every change."""

    form = PolicyItemAdminForm

    def save_model(self, request, obj, form, change) -> None:
        _item_save_from(request, form)

    def save_formset(self, request, form, formset, change) -> None:
        if not issubclass(formset.form, PolicyItemAdminForm):
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        for row in formset.saved_forms:
            _item_save_from(request, row)
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's revert page runs outside a transaction, unlike the change page;
        # the stale-edit check's row lock needs one, and the save should be atomic anyway.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class OpenRoundGuardAdmin(HistoryPublishableAdmin):
    """Lists the open rounds as protected objects on the delete page, so nothing is deleted."""

    ranked_as: str  # the keyword of round_open_ranking these objects go in

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        label = capfirst(models.PrioritisationRound._meta.verbose_name)
        open_rounds = round_open_ranking(**{self.ranked_as: list(objs)})
        protected = [
            *protected,
            *(f"{label}: {round_.title} ({_('open')})" for round_ in open_rounds),
        ]
        return deleted, counts, perms_needed, protected


class ReportItemAdminMixin:
    """A report's item is picked with its report by search, and listed with it."""

    list_select_related = ["report"]
    autocomplete_fields = ["report"]


def _recorded_by_set(instance, user) -> None:
    """Remember who recorded a row (a status change, a round), as the pages do."""
    if not instance.created_by_id:
        instance.created_by = user


@admin.register(models.MigrantGroup)
class MigrantGroupAdmin(InvalidatesFiguresAdmin):
    list_display = ["label_nl", "label_en", "slug", "motive", "order"]
    list_select_related = ["motive"]
    search_fields = ["label_nl", "label_en", "slug"]


@admin.register(models.PolicyTheme)
class PolicyThemeAdmin(InvalidatesFiguresAdmin):
    list_display = ["label_nl", "label_en", "slug", "order", "in_matrix"]
    list_filter = ["in_matrix"]
    search_fields = ["label_nl", "label_en", "slug"]


class AttentionPointInline(admin.StackedInline):
    model = models.AttentionPoint
    form = PolicyItemAdminForm  # an inline row, too, is refused when changed since opened
    formset = OpenRoundGuardFormSet
    extra = 0
    fields = [
        "number",
        "title",
        "explanation",
        "groups",
        "theme",
        "source_section",
        "state",
        "base_version",
    ]
    filter_horizontal = ["groups"]


class ConclusionInline(admin.StackedInline):
    model = models.Conclusion
    form = PolicyItemAdminForm
    extra = 0
    fields = [
        "number",
        "title",
        "explanation",
        "attention_points",
        "source_section",
        "state",
        "base_version",
    ]
    filter_horizontal = ["attention_points"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Offer only the attention points of the report being edited.
        if db_field.name == "attention_points":
            report_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = models.AttentionPoint.objects.filter(report_id=report_id)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RecommendationInline(admin.StackedInline):
    model = models.Recommendation
    form = PolicyItemAdminForm
    extra = 0
    fields = ["number", "title", "addressee", "state", "base_version"]
    show_change_link = True


@admin.register(models.Report)
class ReportAdmin(OpenRoundGuardAdmin):
    ranked_as = "reports"
    list_display = ["title", "municipality", "kind", "year", "state"]
    list_filter = ["kind", "state", "year", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["title", "author", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {django_models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ["municipality", "related_report"]
    inlines = [AttentionPointInline, ConclusionInline, RecommendationInline]


@admin.register(models.PolicyCell)
class PolicyCellAdmin(HistoryPublishableAdmin):
    list_display = ["municipality", "group", "theme", "legal_position", "policy_status", "state"]
    list_filter = ["municipality", "group", "theme", "legal_position", "policy_status", "state"]
    list_select_related = ["municipality", "group", "theme"]
    search_fields = ["municipality__name", "note"]
    autocomplete_fields = ["municipality", "report"]


@admin.register(models.AttentionPoint)
class AttentionPointAdmin(ReportItemAdminMixin, OpenRoundGuardAdmin):
    ranked_as = "attention_points"
    list_display = ["number", "title", "report", "theme", "state"]
    list_filter = ["report", "theme", "groups", "state"]
    list_select_related = ["report", "theme"]
    search_fields = ["title", "explanation"]
    filter_horizontal = ["groups"]


@admin.register(models.Conclusion)
class ConclusionAdmin(ReportItemAdminMixin, HistoryPublishableAdmin):
    list_display = ["number", "title", "report", "state"]
    list_filter = ["report", "state"]
    search_fields = ["title", "explanation"]
    filter_horizontal = ["attention_points"]


class StatusChangeInline(admin.StackedInline):
    model = models.RecommendationStatusChange
    extra = 1
    fields = ["changed_on", "status", "reported_by", "note"]


@admin.register(models.Recommendation)
class RecommendationAdmin(ReportItemAdminMixin, HistoryPublishableAdmin):
    list_display = ["number", "title", "report", "addressee", "besluitvorming_on", "state"]
    list_filter = ["report", "addressee", "state"]
    search_fields = ["title", "explanation"]
    filter_horizontal = ["conclusions", "attention_points"]
    inlines = [StatusChangeInline]

    def save_formset(self, request, form, formset, change) -> None:
        # Remember who recorded each status change.
        instances = formset.save(commit=False)
        for instance in [*instances, *formset.deleted_objects]:
            item_scope_check(user=request.user, instance=instance)
        for instance in instances:
            if isinstance(instance, models.RecommendationStatusChange):
                _recorded_by_set(instance, request.user)
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(models.RecommendationStatusChange)
class RecommendationStatusChangeAdmin(
    PolicyScopedAdmin, SimpleHistoryAdmin, InvalidatesFiguresAdmin
):
    list_display = ["recommendation", "changed_on", "status", "reported_by", "created_by"]
    list_filter = ["status", "reported_by"]
    list_select_related = ["recommendation", "created_by"]
    search_fields = ["recommendation__title", "note"]
    autocomplete_fields = ["recommendation"]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change) -> None:
        _recorded_by_set(obj, request.user)
        super().save_model(request, obj, form, change)


@admin.register(models.Indicator)
class IndicatorAdmin(PublishableAdmin):
    list_display = ["label", "municipality", "year", "value", "target", "unit", "state"]
    list_filter = ["municipality", "year", "unit", "state"]
    list_select_related = ["municipality"]
    search_fields = ["label", "slug", "note"]
    filter_horizontal = ["groups"]
    autocomplete_fields = ["municipality", "report"]


@admin.register(models.ProgrammeLine)
class ProgrammeLineAdmin(ReportItemAdminMixin, PublishableAdmin):
    list_display = ["number", "title", "kind", "report", "state"]
    list_filter = ["kind", "report", "state"]
    search_fields = ["title", "progress"]
    filter_horizontal = ["themes"]


@admin.register(models.ContextNote)
class ContextNoteAdmin(ReportItemAdminMixin, PublishableAdmin):
    list_display = ["number", "title", "report", "state"]
    list_filter = ["report", "state"]
    search_fields = ["title", "body"]
    filter_horizontal = ["themes", "groups"]


class BallotInline(admin.TabularInline):
    """The clerk sees who voted, never how: entries are not shown."""

    model = models.Ballot
    extra = 0
    fields = ["voter", "submitted_at", "updated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.PrioritisationRound)
class PrioritisationRoundAdmin(MunicipalityScopedAdmin, InvalidatesFiguresAdmin):
    """The clerk prepares and changes only their own council's rounds."""

    list_display = ["title", "municipality", "period_start", "period_end", "method", "state"]
    list_filter = ["state", "method", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["title"]
    filter_horizontal = ["attention_points"]
    autocomplete_fields = ["municipality"]
    inlines = [BallotInline]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # Opening, closing and the result go through the portal's round pages, which
        # count the ballots; an open round's question may no longer change.
        fields = ["created_by", "created_at", "state", "opened_at", "closed_at", "kept_result"]
        if obj is not None and obj.state != RoundState.DRAFT:
            fields += ["municipality", "method", "points_budget", "attention_points"]
        if obj is not None and obj.state == RoundState.CLOSED:
            fields += ["title", "period_start", "period_end", "closes_at"]
        return fields

    def get_exclude(self, request, obj=None) -> list[str]:
        # The kept JSON is shown only through kept_result, which holds back a result
        # of too few ballots.
        return ["result"]

    @admin.display(description=_("result"))
    def kept_result(self, obj) -> str:
        if obj is None or not obj.result:
            return "–"
        if round_result_withheld(round_=obj):
            return str(RESULT_WITHHELD)
        return ", ".join(
            f"{row['number']}. {row['title']} ({row['score']})" for row in obj.result["points"]
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        # A closed round is the council's record of its priorities.
        if obj is not None and obj.state == RoundState.CLOSED:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        _recorded_by_set(obj, request.user)
        super().save_model(request, obj, form, change)


@admin.register(models.Ballot)
class BallotAdmin(InvalidatesFiguresAdmin):
    """Who voted and when; the entries of a ballot stay secret (BallotEntry has no admin)."""

    list_display = ["round", "voter", "submitted_at", "updated_at"]
    list_filter = ["round"]
    list_select_related = ["round", "voter"]
    search_fields = ["voter__username", "round__title"]
    fields = ["round", "voter", "submitted_at", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        # Ballots are cast by council members in the portal, not entered by staff.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

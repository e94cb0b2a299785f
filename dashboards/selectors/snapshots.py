"""Vergaderstukken: debate packs frozen for a council meeting, and what changed since.

A snapshot keeps the pack as plain JSON (`pack_frozen`) and is read back from
that alone; `meeting_snapshot_changes` compares it with what the portal shows now.
"""

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, QuerySet
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from charts import privacy
from charts.chart import FrozenChart, chart_freeze, chart_thaw
from dashboards.filters import Filters
from dashboards.models import MeetingSnapshot
from dashboards.selectors.findings import FindingsPage
from dashboards.selectors.pack import PackPage, pack_page
from migrantportal.figure_cache import figure_cache_get_or_build, figure_cache_version
from policy.constants import RecommendationStatus
from policy.models import AttentionPoint, Conclusion, Recommendation, RecommendationStatusChange
from registry.constants import MotiveSlug
from registry.models import ImportBatch, Municipality

SNAPSHOT_FORMAT = 1
FINDINGS_ALL = "findings:all"
FINDING_KINDS = ("attention_points", "conclusions", "recommendations")
# What a snapshot keeps of each finding, and compares with what the portal shows now.
FINDING_FIELDS = {
    "attention_points": ("title", "explanation"),
    "conclusions": ("title", "explanation"),
    "recommendations": ("title", "explanation", "addressee", "status"),
}
FINDING_MODELS = {
    "attention_points": AttentionPoint,
    "conclusions": Conclusion,
    "recommendations": Recommendation,
}


def _json_plain(value):
    """`value` exactly as a JSON column gives it back: lists for tuples, text for dates."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _finding_frozen(item, *, kind: str, statuses: dict) -> dict:
    frozen = {
        "id": item.pk,
        "number": item.number,
        "title": item.title,
        "explanation": item.explanation,
    }
    if kind == "recommendations":
        status = statuses.get(item.pk, RecommendationStatus.OPEN)
        frozen |= {
            "addressee": item.addressee,
            "addressee_label": str(item.get_addressee_display()),
            "status": str(status),
            "status_label": str(RecommendationStatus(status).label),
        }
    return frozen


def _findings_frozen(findings: FindingsPage) -> list[dict]:
    return [
        {
            "report": entry.report.slug,
            "title": entry.report.title,
            "author": entry.report.author,
            "year": entry.report.year,
            **{
                kind: [
                    _finding_frozen(item, kind=kind, statuses=findings.statuses)
                    for item in getattr(entry, kind)
                ]
                for kind in FINDING_KINDS
            },
        }
        for entry in findings.reports
    ]


def _data_state() -> dict:
    latest = (
        ImportBatch.objects.order_by("-created_at", "-pk").values("created_at", "file_name").first()
    )
    return {
        "version": figure_cache_version(),
        "latest_import": latest and {"at": latest["created_at"], "file_name": latest["file_name"]},
    }


def pack_frozen(*, pack: PackPage, filters: Filters, suppress_below: int | None = None) -> dict:
    """The debate pack as plain JSON data: what a meeting snapshot keeps.

    Texts are in the language active now, which the data names; the same pack
    of the same data always gives the same JSON, whoever asks. `pack` must be
    built for council members (as `meeting_snapshot_create` does): a snapshot
    is read by them, so it keeps their held-back numbers, whose threshold it
    names (`suppress_below`, the members' threshold when not given).
    """
    return _json_plain(
        {
            "format": SNAPSHOT_FORMAT,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
            "small_number_threshold": privacy.threshold_or_members(suppress_below=suppress_below),
            "filters": {
                "municipality": filters.municipality.code,
                "year_from": filters.year_from,
                "year_to": filters.year_to,
                "motives": list(filters.motives),
                "compare": list(filters.compare),
                "include": list(filters.include),
            },
            "charts": [chart_freeze(chart=chart) for chart in pack.charts],
            "findings": (
                _findings_frozen(pack.findings) if FINDINGS_ALL in filters.include else None
            ),
            "data": _data_state(),
        }
    )


@dataclass
class SnapshotPage:
    snapshot: MeetingSnapshot
    filters: Filters
    language: str
    charts: list[FrozenChart]
    findings: list[dict] | None
    latest_import: dict | None

    @property
    def figures(self) -> dict[str, dict]:
        return {f"figure-{chart.id}": chart.figure for chart in self.charts if chart.figure}


def meeting_snapshot_list(*, municipality_code: str = "") -> QuerySet[MeetingSnapshot]:
    """Newest meeting first; without the frozen content, which only the snapshot's page needs."""
    snapshots = MeetingSnapshot.objects.select_related("municipality", "created_by").defer(
        "content"
    )
    if municipality_code:
        snapshots = snapshots.filter(municipality__code=municipality_code)
    return snapshots.order_by("-meeting_date", "-created_at", "-pk")


def meeting_snapshot_municipality_list() -> QuerySet[Municipality]:
    """The municipalities that have snapshots, for the list's filter."""
    return Municipality.objects.filter(meeting_snapshots__isnull=False).distinct().order_by("name")


def meeting_snapshot_get(*, pk: int) -> MeetingSnapshot | None:
    return (
        MeetingSnapshot.objects.select_related("municipality", "created_by").filter(pk=pk).first()
    )


def meeting_snapshot_filters(*, snapshot: MeetingSnapshot) -> Filters:
    """The debate pack's filters when it was frozen."""
    stored = snapshot.content.get("filters") or {}
    return Filters(
        municipality=snapshot.municipality,
        year_from=stored.get("year_from"),
        year_to=stored.get("year_to"),
        motives=tuple(stored.get("motives") or MotiveSlug.values),
        compare=tuple(stored.get("compare") or ()),
        include=tuple(snapshot.include),
    )


def meeting_snapshot_page(*, snapshot: MeetingSnapshot) -> SnapshotPage:
    """The frozen pack, read back from the snapshot alone (no other table is read)."""
    content = snapshot.content
    latest = (content.get("data") or {}).get("latest_import")
    return SnapshotPage(
        snapshot=snapshot,
        filters=meeting_snapshot_filters(snapshot=snapshot),
        language=content.get("language") or settings.LANGUAGE_CODE,
        charts=[chart_thaw(frozen=chart) for chart in content.get("charts", [])],
        findings=content.get("findings"),
        latest_import=latest
        and {"at": parse_datetime(latest["at"]), "file_name": latest["file_name"]},
    )


@dataclass
class ChartChange:
    id: str
    title: str
    state: str  # same, changed, removed (no longer in the portal), added (new in the portal)


@dataclass
class FindingChange:
    kind: str  # one of FINDING_KINDS
    report: str  # the report's slug
    report_title: str
    number: int
    title: str
    state: str  # edited, added, removed
    item_id: int
    fields: list[str] = field(default_factory=list)
    changed_at: datetime | None = None

    @property
    def kind_label(self) -> str:
        return {
            "attention_points": _("Attention point"),
            "conclusions": _("Conclusion"),
            "recommendations": _("Recommendation"),
        }[self.kind]

    @property
    def field_labels(self) -> list[str]:
        labels = {
            "title": _("title"),
            "explanation": _("explanation"),
            "addressee": _("addressed to"),
            "status": _("status"),
        }
        return [labels[name] for name in self.fields]


@dataclass
class SnapshotChanges:
    charts: list[ChartChange]
    findings: list[FindingChange]

    @property
    def nothing_changed(self) -> bool:
        return all(chart.state == "same" for chart in self.charts) and not self.findings


def meeting_snapshot_changes(*, snapshot: MeetingSnapshot) -> SnapshotChanges:
    """What the portal shows now that differs from what the snapshot kept.

    The current pack is built (or read from the figure cache) for the same
    filters, in the snapshot's language and as council members see it now
    (small numbers held back), so that only real changes count:
    per chart its exported records, per finding (report, kind, number) its
    texts, addressee and status. The history gives each finding's last change
    after the snapshot was made.
    """
    content = snapshot.content
    filters = meeting_snapshot_filters(snapshot=snapshot)
    if content.get("findings") is not None and FINDINGS_ALL not in filters.include:
        # Kept findings are compared whatever the snapshot's include says: the pack builds
        # its findings only when they are chosen.
        filters = replace(filters, include=(*filters.include, FINDINGS_ALL))
    language = content.get("language") or settings.LANGUAGE_CODE
    threshold = privacy.threshold_for_members()
    with translation.override(language):
        query = hashlib.sha256(filters.as_query().encode()).hexdigest()
        pack = figure_cache_get_or_build(
            key=f"snapshot-pack:{language}:below-{threshold}:{query}",
            build=lambda: pack_page(filters=filters, suppress_below=threshold),
        )
        current_charts = {chart.id: chart for chart in pack.charts}
        charts = []
        for frozen in content.get("charts", []):
            now = current_charts.pop(frozen["id"], None)
            if now is None:
                state = "removed"
            elif _json_plain(now.export_records()) == frozen["records"]:
                state = "same"
            else:
                state = "changed"
            charts.append(ChartChange(id=frozen["id"], title=frozen["title"], state=state))
        charts += [
            ChartChange(id=chart.id, title=str(chart.title), state="added")
            for chart in current_charts.values()
        ]
        current_findings = (
            _json_plain(_findings_frozen(pack.findings))
            if content.get("findings") is not None
            else None
        )
    findings = []
    if current_findings is not None:
        since = parse_datetime(content.get("made_at") or "") or snapshot.created_at
        findings = _finding_changes(
            frozen=content["findings"], current=current_findings, since=since
        )
    return SnapshotChanges(charts=charts, findings=findings)


def _finding_index(reports: list[dict]) -> dict[tuple, tuple[dict, dict]]:
    return {
        (report["report"], kind, item["number"]): (report, item)
        for report in reports
        for kind in FINDING_KINDS
        for item in report.get(kind, [])
    }


def _finding_changes(*, frozen: list[dict], current: list[dict], since) -> list[FindingChange]:
    before, after = _finding_index(frozen), _finding_index(current)
    changes = []
    for key in dict.fromkeys([*before, *after]):
        report_slug, kind, number = key
        old, new = before.get(key), after.get(key)
        if old and new:
            fields = [name for name in FINDING_FIELDS[kind] if old[1].get(name) != new[1].get(name)]
            if not fields:
                continue
            # Named as the snapshot shows it, so the reader finds it on the page.
            state, (report, item) = "edited", old
        elif new:
            state, fields, (report, item) = "added", [], new
        else:
            state, fields, (report, item) = "removed", [], old
        changes.append(
            FindingChange(
                kind=kind,
                report=report_slug,
                report_title=report["title"],
                number=number,
                title=item["title"],
                state=state,
                item_id=(new or old)[1]["id"],
                fields=fields,
            )
        )
    dates = _last_changed(since=since, keys={(change.kind, change.item_id) for change in changes})
    for change in changes:
        change.changed_at = dates.get((change.kind, change.item_id))
    reports = {
        slug: index for index, slug in enumerate(dict.fromkeys(k[0] for k in [*before, *after]))
    }
    return sorted(changes, key=lambda c: (reports[c.report], FINDING_KINDS.index(c.kind), c.number))


def _last_changed(*, since, keys: set[tuple[str, int]]) -> dict[tuple[str, int], datetime]:
    """Per (kind, id): the time of its last recorded change after `since`, if any.

    One query per kind of finding, plus one for recommendations' status changes.
    """
    latest: dict[tuple[str, int], datetime] = {}

    def note(kind: str, pk: int, when: datetime) -> None:
        key = (kind, pk)
        latest[key] = max(latest.get(key, when), when)

    for kind, model in FINDING_MODELS.items():
        ids = {pk for key_kind, pk in keys if key_kind == kind}
        if not ids:
            continue
        rows = (
            model.history.filter(id__in=ids, history_date__gt=since)
            .order_by()
            .values("id")
            .annotate(last=Max("history_date"))
        )
        for row in rows:
            note(kind, row["id"], row["last"])
        if kind == "recommendations":
            rows = (
                RecommendationStatusChange.history.filter(
                    recommendation_id__in=ids, history_date__gt=since
                )
                .order_by()
                .values("recommendation_id")
                .annotate(last=Max("history_date"))
            )
            for row in rows:
                note(kind, row["recommendation_id"], row["last"])
    return latest

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class LegalPosition(models.TextChoices):
    STATUTORY_DUTY = "statutory_duty", _("Statutory duty")
    # A statutory task the group reaches through the general provisions (bijstand, Wmo,
    # onderwijs), not one specific to the group.
    GENERIC_POLICY = "generic_policy", _("Through generic policy")
    POLICY_FREEDOM = "policy_freedom", _("Policy freedom")
    NONE = "none", _("No task")


class PolicyStatus(models.TextChoices):
    ACTIVE = "active", _("Specific policy in place")
    STOPPED = "stopped", _("Stopped recently")
    ANNOUNCED = "announced", _("Announced")
    NONE = "none", _("No specific policy")


class UnusedRoom(models.TextChoices):
    """Whether a matrix cell shows unused policy room, and on whose word."""

    RULE = "rule", _("By the portal's rule (policy freedom, no specific policy)")
    REPORT = "report", _("Stated by the report")
    NOT_MARKED = "not_marked", _("Not marked (the editors' judgement)")


class UnusedRoomBasis(models.TextChoices):
    """Who marks unused room: the report itself, or only the portal's rule."""

    REPORT = "rapport", _("the report")
    PORTAL = "portaal", _("the portal's reading")


class LinkBasis(models.TextChoices):
    """Whether a link between findings is the document's own or the editors' reading."""

    DOCUMENT = "document", _("link made by the document")
    EDITORS = "editors", _("link by the editors (koppeling door de redactie)")


class ReportKind(models.TextChoices):
    BESTUURLIJKE_NOTA = "bestuurlijke_nota", _("Audit office report (bestuurlijke nota)")
    RAADSVOORSTEL = "raadsvoorstel", _("Council proposal (raadsvoorstel)")
    RAADSINFORMATIEBRIEF = "raadsinformatiebrief", _("Letter to the council (raadsinformatiebrief)")
    PROGRAMMA = "programma", _("Programme")


class Addressee(models.TextChoices):
    COUNCIL = "council", _("Council")
    COLLEGE = "college", _("College of mayor and aldermen")
    COUNCIL_AND_COLLEGE = "council_and_college", _("Council and college")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ADOPTED = "adopted", _("Adopted by the council")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")


class Acceptance(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")


class StatusReporter(models.TextChoices):
    COUNCIL = "council", _("Council")
    COLLEGE = "college", _("College")
    AUDIT_OFFICE = "audit_office", _("Audit office")


class ProgrammeLineKind(models.TextChoices):
    PROGRAMME_LINE = "programme_line", _("Programme line")
    ACTION_LINE = "action_line", _("Action line")


class ContextPlacement(models.TextChoices):
    """The page a context note stands on."""

    PROGRAMME = "programme", _("Programme and context")
    COMPARISON = "comparison", _("Compare")


class IndicatorUnit(models.TextChoices):
    PERSONS = "persons", _("persons")
    PERCENT = "percent", _("percent")
    EURO = "euro", _("euro")
    RATIO = "ratio", _("euro per euro")


class BallotMethod(models.TextChoices):
    RANKING = "ranking", _("Ranking (Borda count)")
    POINTS = "points", _("Distribute points")


class RoundState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PlanState(models.TextChoices):
    """Where the college's plan of approach stands (see policy.selectors.followup)."""

    AWAITING_DECISION = "awaiting_decision", _("Awaiting the council's decision")
    NOT_EXPECTED = "not_expected", _("Not expected (the council rejected it)")
    DUE = "due", _("Due")  # not received, due date still to come (or today)
    OVERDUE = "overdue", _("Overdue")  # not received, due date passed
    RECEIVED = "received", _("Received in time")  # on or before the due date, or none set
    RECEIVED_LATE = "received_late", _("Received late")


class VerdictBasis(models.TextChoices):
    """Whose progress update the current status rests on."""

    AUDIT_OFFICE_OR_COUNCIL = (
        "audit_office_or_council",
        _("Reported by the audit office or council"),
    )
    COLLEGE_ONLY = "college_only", _("Only the college has reported")
    NO_UPDATES = "no_updates", _("No updates yet")


class AgeBasis(models.TextChoices):
    """The date a recommendation's age counts from."""

    DECISION = "decision", _("since the decision")
    REPORT_DATE = "report_date", _("since the report")
    UNKNOWN = "unknown", _("date unknown")  # no decision, and the report gives no day


class FlagFilter(models.TextChoices):
    """The follow-up monitor's filter on flags, named in the query string."""

    ANY = "any", _("Any flag")
    STALE = "stale", _("No update in 12 months")
    PLAN = "plan", _("Plan of approach overdue or late")


class HistoryKind(models.TextChoices):
    """What a row of an item's history did to it."""

    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")

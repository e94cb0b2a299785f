from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class LegalPosition(models.TextChoices):
    STATUTORY_DUTY = "statutory_duty", _("Statutory duty")
    POLICY_FREEDOM = "policy_freedom", _("Policy freedom")
    NONE = "none", _("No task")


class PolicyStatus(models.TextChoices):
    ACTIVE = "active", _("Specific policy in place")
    STOPPED = "stopped", _("Stopped recently")
    ANNOUNCED = "announced", _("Announced")
    NONE = "none", _("No specific policy")


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

"""Every model the admin edits, edited through the admin by the role that may edit it.

For each ModelAdmin of registry, policy and dashboards: the changelist and the add form
open, a valid add is stored, and a change through the change form changes the row. The
role is the first of the clerk and the audit office that may change the model (a superuser
where neither may). Where the admin forbids adding or changing, the page is refused.
Who may reach which page is test_admin_permissions.py's table, which also holds each
changelist to a query budget; this is the path itself.
"""

import pytest
from django.contrib import admin
from django.db.models import ProtectedError
from django.urls import reverse

from migrantportal.roles import Role
from policy import models as pm
from registry import models as rm
from tests import factories as f
from tests.admin_forms import admin_page_data
from tests.builders import one_of_each
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

APPS = {"registry", "policy", "dashboards"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in APPS),
    key=lambda model: model._meta.label,
)
ROLES = [Role.GRIFFIE, Role.REKENKAMER]

# model → the fields a new row changes from the one one_of_each() made, to keep it unique
ADD = {
    "registry.Municipality": lambda rows: {"code": "GM9002", "name": "Nieuwgemeente"},
    "registry.MunicipalityTheme": lambda rows: {
        "municipality": f.MunicipalityFactory(code="GM9003", name="Derdegemeente").pk
    },
    "registry.Source": lambda rows: {"slug": "nieuwe-bron", "title": "Nieuwe bron"},
    "registry.Motive": lambda rows: {"slug": _free_motive(), "order": 99},
    "registry.Population": lambda rows: {"year": 2024},
    "registry.MigrantCount": lambda rows: {"year": 2024},
    "registry.MigrantShare": lambda rows: {"year": 2024},
    "registry.MigrantBreakdown": lambda rows: {"category": "Overig"},
    "registry.Estimate": lambda rows: {"label": "Tweede schatting"},
    "policy.MigrantGroup": lambda rows: {
        "slug": "nieuwe-groep",
        "label_nl": "Nieuwe groep",
        "label_en": "New group",
    },
    "policy.PolicyTheme": lambda rows: {
        "slug": "nieuw-thema",
        "label_nl": "Nieuw thema",
        "label_en": "New theme",
    },
    "policy.Report": lambda rows: {"slug": "tweede-rapport", "title": "Tweede rapport"},
    "policy.PolicyCell": lambda rows: {
        "theme": pm.PolicyTheme.objects.exclude(pk=rows[pm.PolicyCell].theme_id).first().pk
    },
    "policy.AttentionPoint": lambda rows: {"number": 2},
    "policy.Conclusion": lambda rows: {"number": 2},
    "policy.Recommendation": lambda rows: {"number": 2},
    "policy.RecommendationStatusChange": lambda rows: {"note": "Tweede melding"},
    "policy.Indicator": lambda rows: {"slug": "nieuw"},
    "policy.ProgrammeLine": lambda rows: {"number": 2},
    "policy.ContextNote": lambda rows: {"number": 2},
    "policy.PrioritisationRound": lambda rows: {"title": "Tweede ronde"},
    "dashboards.Profile": lambda rows: {"user": f.UserFactory(username="nieuw-lid").pk},
}
# model → (field, new value) that a change through the change form sets
CHANGE = {
    "registry.Municipality": ("name", "Hernoemd"),
    "registry.MunicipalityTheme": ("primary_colour", "#7a1f3d"),
    "registry.Source": ("title", "Hernoemde bron"),
    "registry.Motive": ("colour", "#654321"),
    "registry.Population": ("inhabitants", 123_456),
    "registry.MigrantCount": ("persons", 4321),
    "registry.MigrantShare": ("share_pct", 12.5),
    "registry.MigrantBreakdown": ("category", "Overig"),
    "registry.Estimate": ("label", "Herziene schatting"),
    "policy.MigrantGroup": ("label_nl", "Hernoemde groep"),
    "policy.PolicyTheme": ("label_nl", "Hernoemd thema"),
    "policy.Report": ("title", "Hernoemd rapport"),
    "policy.PolicyCell": ("note", "Nieuwe toelichting"),
    "policy.AttentionPoint": ("title", "Hernoemd aandachtspunt"),
    "policy.Conclusion": ("title", "Hernoemde conclusie"),
    "policy.Recommendation": ("title", "Hernoemde aanbeveling"),
    "policy.RecommendationStatusChange": ("note", "Aangevuld"),
    "policy.Indicator": ("label", "Hernoemde indicator"),
    "policy.ProgrammeLine": ("title", "Hernoemde lijn"),
    "policy.ContextNote": ("title", "Hernoemde noot"),
    "policy.PrioritisationRound": ("title", "Hernoemde ronde"),
    "dashboards.Profile": ("party_group", "Fractie B"),
}


def _free_motive() -> str:
    """The six motives are fixed and all present: free one that nothing refers to."""
    for motive in rm.Motive.objects.order_by("-order"):
        slug = motive.slug
        try:
            motive.delete()
        except ProtectedError:
            continue
        return slug
    raise AssertionError("every motive is in use")


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _editor(model, django_user_model):
    """The first role that may change the model, or a superuser where no role may."""
    permission = f"{model._meta.app_label}.change_{model._meta.model_name}"
    for role in ROLES:
        user = user_with_role(role)
        if user.has_perm(permission):
            return user
    return django_user_model.objects.create_superuser("root", "root@example.org", "x-pass-1!")


def _main_form_data(response) -> dict:
    """The posted fields of the page's own form, without its inlines."""
    names = {
        response.context["adminform"].form.add_prefix(name)
        for name in response.context["adminform"].form.fields
    }
    return {
        key: value
        for key, value in admin_page_data(response).items()
        if key in names or key.rsplit("_", 1)[0] in names  # closes_at_0, closes_at_1
    }


def _errors(response) -> object:
    if response.context is None:
        return None
    form = response.context.get("adminform")
    formsets = response.context.get("inline_admin_formsets", [])
    return (form and form.form.errors, [inline.formset.errors for inline in formsets])


def test_every_model_the_admin_edits_has_a_row_in_both_tables():
    editable = {
        model._meta.label
        for model in MODELS
        if model not in (rm.ImportBatch, pm.Ballot)  # written by the import and by voters
    }

    assert (set(ADD), set(CHANGE)) == (editable, editable)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_the_changelist_and_the_add_form_open_and_a_valid_add_is_stored(
    client, django_user_model, model
):
    rows = one_of_each()
    client.force_login(_editor(model, django_user_model))

    assert client.get(_url(model, "changelist")).status_code == 200
    add_page = client.get(_url(model, "add"))
    if model._meta.label not in ADD:
        assert add_page.status_code == 403
        assert client.post(_url(model, "add"), {}).status_code == 403
        return
    assert add_page.status_code == 200

    existing = client.get(_url(model, "change", rows[model].pk))
    data = admin_page_data(add_page) | _main_form_data(existing) | ADD[model._meta.label](rows)
    before = model.objects.count()
    response = client.post(_url(model, "add"), data)

    assert (response.status_code, _errors(response)) == (302, None)
    assert model.objects.count() == before + 1


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_a_change_through_the_change_form_changes_the_row(client, django_user_model, model):
    row = one_of_each()[model]
    client.force_login(_editor(model, django_user_model))
    url = _url(model, "change", row.pk)
    page = client.get(url)
    assert page.status_code == 200

    if model._meta.label not in CHANGE:
        assert page.context["has_change_permission"] is False
        before = model.objects.filter(pk=row.pk).values().get()
        assert client.post(url, {}).status_code == 403
        assert model.objects.filter(pk=row.pk).values().get() == before
        return
    field, value = CHANGE[model._meta.label]
    response = client.post(url, admin_page_data(page) | {field: value})

    assert (response.status_code, _errors(response)) == (302, None)
    row.refresh_from_db()
    stored = getattr(row, field)
    assert (float(stored) if isinstance(value, float) else stored) == value

from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("vergelijken/", views.compare, name="compare"),
    path("register/", views.register, name="register"),
    path("beleidsmatrix/", views.matrix, name="matrix"),
    path("bevindingen/", views.findings, name="findings"),
    path("indicatoren/", views.indicators, name="indicators"),
    path("debatpakket/", views.pack, name="pack"),
    path("programma/", views.programme, name="programme"),
    path("vergaderingen/", views.snapshot_list, name="snapshot_list"),
    path("vergaderingen/nieuw/", views.snapshot_create, name="snapshot_create"),
    path("vergaderingen/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path("vergaderingen/<int:pk>/verwijderen/", views.snapshot_delete, name="snapshot_delete"),
]

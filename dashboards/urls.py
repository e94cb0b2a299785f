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
]

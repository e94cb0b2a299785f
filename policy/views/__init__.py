"""Views of the council's workflow; each module adds its own `urlpatterns`."""

"""rounds views."""

urlpatterns: list = []

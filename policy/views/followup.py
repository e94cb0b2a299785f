"""followup views."""

urlpatterns: list = []

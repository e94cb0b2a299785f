"""editing views."""

urlpatterns: list = []

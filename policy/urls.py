from policy.views import editing, followup, rounds

app_name = "policy"

urlpatterns = [*rounds.urlpatterns, *followup.urlpatterns, *editing.urlpatterns]

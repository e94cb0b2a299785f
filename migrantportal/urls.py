from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from migrantportal import views
from registry import views as registry_views

admin.site.site_header = _("Migrant portal – management")
admin.site.site_title = _("Migrant portal")
admin.site.index_title = _("Management")

handler403 = "migrantportal.views.permission_denied"
handler404 = "migrantportal.views.page_not_found"
handler500 = "migrantportal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("favicon.ico", views.favicon),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("thema/<slug:code>.css", registry_views.theme_stylesheet, name="municipality_theme_css"),
    path("dashboards/", include("dashboards.urls")),
    path("", include("policy.urls")),
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
]

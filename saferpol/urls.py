from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods

from moderation import views as moderation_views

urlpatterns = [
    path("", moderation_views.home, name="home"),
    path(
        "login/",
        require_http_methods(["GET", "POST"])(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("queue/", include("moderation.urls")),
    path("exports/", include("moderation.export_urls")),
    path("team/", include("team.urls")),
    path("api/", include("api.urls")),
    path("platforms/", include("platforms.urls")),
    path("evidence/", include("evidence.urls")),
    path("healthz", moderation_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

from django.urls import path

from api import views
from api.endpoints import api

app_name = "api"

urlpatterns = [
    # Dashboard pages (session sign-in) for managing one's own tokens.
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<uuid:code>/revoke/", views.token_revoke, name="token_revoke"),
    path("openapi.json", views.openapi_document, name="openapi"),
    # The JSON API itself (bearer tokens only), with its OpenAPI document at /api/openapi.json.
    path("", api.urls),
]

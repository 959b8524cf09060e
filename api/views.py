"""Dashboard pages for a person's own API tokens (session sign-in, CSRF-protected forms).

These are ordinary pages, not part of the JSON API: the API itself accepts tokens only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from api.forms import TokenCreateForm
from api.tokens import api_token_create, api_token_revoke, api_tokens_for_user
from saferpol.client_address import client_ip
from team.models import ApiToken


def _token_for_user(user, code) -> ApiToken:
    """The person's own token; anyone else's is answered like one that doesn't exist."""
    return get_object_or_404(ApiToken, code=code, user=user)


def _list_page(request: HttpRequest, form: TokenCreateForm, *, status: int = 200) -> HttpResponse:
    return render(
        request, "api/tokens.html", {"tokens": api_tokens_for_user(request.user), "form": form}, status=status
    )


@login_required
@require_GET
def tokens(request: HttpRequest) -> HttpResponse:
    return _list_page(request, TokenCreateForm())


@never_cache  # the page carries the secret: no browser or proxy may keep a copy
@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    token, raw = api_token_create(
        user=request.user, name=form.cleaned_data["name"], ip_address=client_ip(request), source="dashboard"
    )
    # Rendered, not redirected: the raw token never goes into a URL, the session or a message.
    return render(request, "api/token_created.html", {"token": token, "raw": raw})


@login_required
@require_POST
def token_revoke(request: HttpRequest, code) -> HttpResponse:
    token = _token_for_user(request.user, code)
    token = api_token_revoke(token=token, by=request.user, ip_address=client_ip(request))
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("api:tokens")


@require_GET
def openapi_document(request: HttpRequest) -> JsonResponse:
    """The API's OpenAPI document (public: it describes the API, never its data)."""
    from api.endpoints import api

    return JsonResponse(api.get_openapi_schema(path_prefix="/api/"), json_dumps_params={"ensure_ascii": False})

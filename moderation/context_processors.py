from django.conf import settings
from django.http import HttpRequest


def saferpol(request: HttpRequest) -> dict:
    return {"DEMO_MODE": settings.DEMO_MODE}

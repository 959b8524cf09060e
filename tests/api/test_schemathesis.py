"""Property-based: every operation in the OpenAPI document, fed generated input, never answers 5xx.

Schemathesis reads /api/openapi.json from the real WSGI application and sends each operation
generated requests (a bounded number per operation) with a valid token for Alice, who owns an
account with ingested items, so the happy paths run against real rows, not just the 4xx ones.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from api.tokens import api_token_create
from moderation.models import Item
from tests.factories import CIVIL, RACIST, RUDE, THREAT

MAX_EXAMPLES = 30


@pytest.fixture
def api_schema(db, settings, alice, account, ingest):
    # The WSGI test client schemathesis uses says Host: localhost.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # The real handler would close the test's database connection after each request, losing
    # the test transaction on PostgreSQL; Django's own test client disconnects this the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        ingest(THREAT, RACIST, RUDE, CIVIL, THREAT, RUDE)
        from saferpol.wsgi import application

        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(alice) -> dict[str, str]:
    _, raw = api_token_create(user=alice, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@schema.given(data=st.data())
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_answers_a_server_error(case, data, bearer):
    if case.path_parameters and "code" in case.path_parameters:
        # Generated strings only ever reach the 404, so mostly aim at one of Alice's items instead.
        codes = [str(code) for code in Item.objects.order_by("id").values_list("code", flat=True)]
        real = data.draw(st.sampled_from([None, *codes]), label="item code")
        if real is not None:
            case.path_parameters["code"] = real
    response = case.call(headers=bearer)
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500

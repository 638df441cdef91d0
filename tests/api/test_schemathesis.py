"""Schemathesis against the OpenAPI schema: generated requests, valid and invalid, never a 5xx.

Every operation gets a bounded number of generated requests in each mode (data that fits the
schema, and data that does not), sent in-process to the ASGI app over the written articles,
and every response is checked: not a server error, a documented status, content type and
headers, a body that fits the schema, and invalid data refused.

One default check is left out, `positive_data_acceptance`: it expects every schema-valid
request to succeed, but some rules cannot be written in OpenAPI — a cursor must be one the
API handed out, `from` must not be after `to`, `q` needs a letter or digit — and those
requests rightly get a 422.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.generation.modes import GenerationMode

from aidtracker.api import OPENAPI_URL

EXAMPLES = 25  # per operation and mode: about ten seconds per backend


@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
def test_generated_requests_never_cause_a_server_error(client: TestClient, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_asgi(OPENAPI_URL, client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11  # the read API's; other areas may add their own
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same requests every run, so CI is repeatable
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])

        check()

"""Schemathesis against the OpenAPI schema: generated requests, valid and invalid, never a 5xx.

Every operation gets a bounded number of generated requests in each mode (data that fits the
schema, and data that does not), sent in-process to the ASGI app over the written articles,
and every response is checked: not a server error, a documented status, content type and
headers, a body that fits the schema, and invalid data refused.

One default check is left out, `positive_data_acceptance`: it expects every schema-valid
request to succeed, but some rules cannot be written in OpenAPI — a cursor must be one the
API handed out, `from` must not be after `to`, `q` needs a letter or digit — and those
requests rightly get a 422.

The writing routes are in the schema too. Schemathesis has no token (it may invent one, which
no user holds), so each of its writes must be refused: after the run the store holds no review,
no user and no document it did not hold before. In the negative mode an operation with nothing
to get wrong (no parameter, no body) is left out: no invalid request for it exists.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.generation.modes import GenerationMode

from aidtracker.api import OPENAPI_URL
from aidtracker.store import Store

EXAMPLES = 25  # per operation and mode: about ten seconds per backend


@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
def test_generated_requests_never_cause_a_server_error(client: TestClient, store: Store, mode: GenerationMode) -> None:
    before = (store.review_count(), len(store.users()), store.stats()["documents"])
    schema = schemathesis.openapi.from_asgi(OPENAPI_URL, client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    writes = {(o.method.upper(), o.path) for o in operations if o.method.upper() in ("POST", "DELETE")}
    assert len(operations) >= 19 and len(writes) == 4  # reads, reviews, uploads, users
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not (
            operation.path_parameters or operation.query or operation.headers or operation.body
        ):
            continue

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
    assert (store.review_count(), len(store.users()), store.stats()["documents"]) == before

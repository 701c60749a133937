"""Property-based API testing with schemathesis: requests generated from the OpenAPI description (valid and
invalid parameters, odd strings, bearer headers) never get a 5xx. Runs against the ASGI app serving the
sample corpus; bounded to a few dozen examples per operation (about a minute in all)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

MAX_EXAMPLES = 60
calls: list[str] = []  # every generated request, to prove the run was not empty


@pytest.fixture(scope="module")
def api_schema(corpus_store):
    from harvestgraph.api.app import create_app

    app = create_app(corpus_store, query_timeout=5.0)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def check_operation(operation) -> list[str]:
    """Run generated cases against one operation; the 5xx answers found (at most one per operation:
    hypothesis shrinks to the simplest failing case)."""
    failures: list[str] = []

    @given(operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        calls.append(case.method)
        response = case.call()
        if response.status_code == 503 and response.headers.get("content-type", "").startswith("application/json") \
                and response.json().get("error") == "timeout":
            return  # the documented answer to a query over the time limit is not a crash
        assert response.status_code < 500, (f"{case.method} {case.formatted_path} query={case.query} "
                                             f"body={str(case.body)[:200]}: {response.status_code} {response.text[:300]}")

    try:
        run()
    except AssertionError as exc:
        failures.append(str(exc))
    return failures


def test_no_server_errors(api_schema):
    # (schemathesis' own pytest plugin does not work with this pytest; its Python API does)
    operations = [r.ok() for r in api_schema.get_all_operations()]
    assert len(operations) >= 8
    failures = [f for op in operations for f in check_operation(op)]
    assert not failures, "\n".join(failures)
    assert len(calls) >= 5 * len(operations), len(calls)
    print(f"schemathesis: {len(calls)} requests over {len(operations)} operations")


def test_openapi_documents_the_bearer_scheme(api_schema):
    spec = api_schema.raw_schema
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("type") == "http" and s.get("scheme", "").lower() == "bearer" for s in schemes.values())
    secured = [op for path in spec["paths"].values() for op in path.values() if isinstance(op, dict) and op.get("security")]
    assert secured, "routes that read data declare the optional bearer security"

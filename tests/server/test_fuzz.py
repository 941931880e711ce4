"""The API fuzzed from its own OpenAPI schema with schemathesis: whatever arrives, the answer is
never a 500 and always matches the schema the server publishes (requests carry a real station
token, so they reach the service's own checks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from server.api import create_app
from server.settings import Settings


def test_no_request_makes_the_server_fail(database_url: str, province_key: Path) -> None:
    app = create_app(
        Settings(database_url=database_url, province_key=province_key, verify_per_minute=10**6)
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    from server import service
    from server.db import sessions
    from server.keys import ensure_key

    signer = sessions(app.state.engine, feed_key=ensure_key(province_key))
    with signer() as session, session.begin():  # a real station's token,
        code = service.add_station(  # so that the fuzzing reaches past the token check
            session, code="220102001", name="测试派出所", province_key=""
        )
        token = service.enrol(  # fuzzing reaches past the token check
            session,
            enrol_code=code,
            station_code="220102001",
            workstation="01",
            public_key="ab" * 32,
            province_key="",
        ).token
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        tried.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            assert response.status_code < 500, (case.method, case.path, response.text[:300])
            case.validate_response(response)

        check()
    app.state.engine.dispose()
    assert {"POST /api/v2/push", "POST /api/v2/enrol", "GET /api/v2/verify/{serial}"} <= set(tried)

"""schemathesis against the hub's OpenAPI, in process, on SQLite and PostgreSQL: whatever it
sends, no 5xx; and without a device token, no 2xx (but for the health check)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from firstcontact.hub import config, enrolment
from firstcontact.hub.api import create_app
from firstcontact.hub.clock import utc_now
from firstcontact.hub.db import Database
from firstcontact.sync.keys import DeviceKeys
from firstcontact.sync.wire import HEALTH_PATH
from tests.hub.conftest import BACKENDS, new_hub

TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module", params=BACKENDS)
def api_schema(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[schemathesis.BaseSchema]:
    hub = new_hub(request, str(request.param), tmp_path_factory.mktemp("openapi"))
    hub_config = config.load(hub.data_dir, hub.db_url)
    db = Database(hub_config.db_url)
    keys = DeviceKeys.generate()
    code = enrolment.issue_code(db, utc_now, "Schema Tester", "supervisor")
    TOKEN["token"] = enrolment.redeem(db, utc_now, code, keys.verify_raw,
                                      keys.receiving.public.raw).token
    yield schemathesis.openapi.from_asgi("/v1/openapi.json", create_app(hub_config, db))
    db.dispose()


def _check(case: schemathesis.Case) -> None:
    with_token = case.call(headers={"Authorization": f"Bearer {TOKEN['token']}"})
    assert with_token.status_code < 500, with_token.text
    case.headers = {k: v for k, v in (case.headers or {}).items()
                    if k.lower() != "authorization"}
    without = case.call()
    assert without.status_code < 500, without.text
    if case.path != HEALTH_PATH:
        assert not 200 <= without.status_code < 300, (case.path, without.text)
    assert without.json().get("protocol") == "firstcontact-sync/1"


def test_no_5xx_and_no_2xx_without_a_token(api_schema: schemathesis.BaseSchema) -> None:
    # schemathesis's strategies driven by hypothesis directly (its pytest plugin does not
    # follow this pytest's internals)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def run(case: schemathesis.Case) -> None:
            _check(case)

        run()

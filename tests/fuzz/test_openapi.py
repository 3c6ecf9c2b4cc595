"""Schemathesis against a live server's /openapi.json, in each authentication mode.

Every operation the server publishes is fuzzed twice: with bodies and parameters that fit
its schema (they must be accepted) and with ones that do not (they must be refused with a
4xx), and every answer is checked by schemathesis' full set of checks: no 5xx, the status
code is declared, the body matches the declared schema, the content type is right.

``FUZZ_EXAMPLES`` sets the examples per operation and generation mode: a few dozen in
``make test``, a thousand under ``make fuzz``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from prompt_sentinel.store.api_keys import generate_key
from tests.support.procs import Server

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
ADMIN = generate_key()

# Operations every mode must publish (so an empty or broken schema cannot pass), and the
# admin ones that exist only when an admin key can be used.
CORE = {
    "GET /health",
    "GET /health/live",
    "GET /health/ready",
    "POST /api/v1/detect",
    "POST /api/v1/detect/batch",
}
ADMIN_OPS = {
    "GET /api/v1/admin/api-keys",
    "POST /api/v1/admin/api-keys",
    "GET /api/v1/admin/api-keys/{key_id}",
    "DELETE /api/v1/admin/api-keys/{key_id}",
    "POST /api/v1/admin/api-keys/{key_id}/rotate",
}


@dataclass(frozen=True)
class Mode:
    env: dict[str, str]
    headers: dict[str, str]  # what every fuzzed request carries
    expected: frozenset[str]


MODES = {
    # the quick start: no keys, no admin routes
    "none": Mode({"AUTHENTICATION_MODE": "none"}, {}, frozenset(CORE)),
    # anonymous callers: detection open, admin routes mounted but refused (401)
    "optional": Mode({"AUTHENTICATION_MODE": "optional", "ADMIN_API_KEY": ADMIN}, {}, frozenset(CORE | ADMIN_OPS)),
    # every request with a valid admin key: the admin routes really run
    "required": Mode(
        {"AUTHENTICATION_MODE": "required", "ADMIN_API_KEY": ADMIN},
        {"X-API-Key": ADMIN},
        frozenset(CORE | ADMIN_OPS),
    ),
}


@pytest.fixture(scope="module", params=sorted(MODES))
def live(request: pytest.FixtureRequest) -> Iterator[tuple[Server, Mode]]:
    mode = MODES[request.param]
    srv = Server(env={"LOG_LEVEL": "WARNING", **mode.env}).start()
    yield srv, mode
    srv.stop()


def fuzz(op: schemathesis.APIOperation, generation: GenerationMode, srv: Server, mode: Mode) -> str | None:
    """Run ``EXAMPLES`` cases of one operation; the failure report, or None."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(case=op.as_strategy(generation))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=srv.url, headers=mode.headers, timeout=30)

    try:
        run()
    except Unsatisfiable:
        # Only an operation without a body can have no invalid input (its only parameter
        # is a free-form string, or it has none).
        if generation is GenerationMode.NEGATIVE and "requestBody" not in op.definition.raw:
            return None
        raise
    except Exception as exc:  # schemathesis' FailureGroup and friends: report them all
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.mark.parametrize("generation", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms(live: tuple[Server, Mode], generation: GenerationMode) -> None:
    srv, mode = live
    # The schema itself is fetched with the admin key: in `required` mode it is guarded too.
    schema = schemathesis.openapi.from_url(f"{srv.url}/openapi.json", headers={"X-API-Key": ADMIN})
    seen: set[str] = set()
    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        op = result.ok()
        seen.add(op.label)
        report = fuzz(op, generation, srv, mode)
        if report is not None:
            failures[op.label] = report
    assert mode.expected <= seen, f"operations missing from /openapi.json: {sorted(mode.expected - seen)}"
    assert not failures, "\n\n".join(f"== {label}\n{report}" for label, report in failures.items())
    logs = srv.logs()
    assert "Traceback" not in logs and "unhandled error" not in logs, logs[-4000:]

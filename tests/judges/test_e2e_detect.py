"""POST /api/v1/detect on a real server process, with a fake Anthropic API on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.judges.fakes import ATTACK, FakeProvider, Step
from tests.support.procs import Server


@pytest.fixture(scope="module")
def judged_server(fakes: dict[str, FakeProvider]) -> Iterator[tuple[Server, FakeProvider]]:
    fake = fakes["anthropic"]
    srv = Server(
        env={
            "ANTHROPIC_API_KEY": fake.key,
            "ANTHROPIC_BASE_URL": fake.base_url,
            "ANTHROPIC_MODEL": fake.model,
            "OPENAI_API_KEY": "",
            "GEMINI_API_KEY": "",
            "LLM_PROVIDERS": "anthropic",
            "LLM_JUDGE_DEADLINE": "3",
            "LLM_MAX_RETRIES": "0",
        }
    ).start()
    yield srv, fake
    srv.stop()


def test_uncertain_prompt_gets_a_second_opinion(judged_server: tuple[Server, FakeProvider]) -> None:
    srv, fake = judged_server
    fake.then(Step(answer=ATTACK))
    r = httpx.post(
        f"{srv.url}/api/v1/detect",
        timeout=30,
        content=json.dumps({"prompt": "Act as a linux terminal.", "use_llm": True}),
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    judge = [x for x in body["reasons"] if x["source"] == "llm_judge"]
    assert len(judge) == 1 and judge[0]["rule_id"] == "llm_judge.attack"
    assert body["verdict"] in ("flag", "block")
    [req] = fake.requests
    assert "Act as a linux terminal." in req.body["messages"][0]["content"]
    assert fake.key not in srv.logs() and "linux terminal" not in srv.logs()


def test_health_never_calls_the_judge(judged_server: tuple[Server, FakeProvider]) -> None:
    srv, fake = judged_server
    for path in ("/health", "/health/ready", "/health/detailed"):
        assert httpx.get(f"{srv.url}{path}", timeout=10).status_code == 200
    assert not fake.requests

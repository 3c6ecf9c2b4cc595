"""The per-request profiler in a real server process: admin only, never in production."""

from __future__ import annotations

import os
import secrets
import subprocess

import httpx

from tests.support.procs import CLI, ROOT, Server, free_port


def test_profile_for_the_admin_only() -> None:
    admin = f"adm-{secrets.token_urlsafe(30)}"
    wrong = admin[:-1] + ("y" if admin[-1] != "y" else "z")  # differs in the last character
    srv = Server(env={"ENABLE_PROFILING": "true", "ADMIN_API_KEY": admin}).start()
    try:
        url, body = f"{srv.url}/api/v1/detect", {"prompt": "hello there"}
        cases = [
            ({"X-Profile": "text"}, 403),  # no key
            ({"X-Profile": "text", "X-API-Key": wrong}, 403),  # a wrong key
            ({"X-Profile": "text", "X-API-Key": admin}, 200),  # the admin key
        ]
        for headers, status in cases:
            r = httpx.post(url, json=body, headers=headers, timeout=30)
            assert r.status_code == status
        assert r.headers["content-type"].startswith("text/plain")
        assert "detect" in r.text and r.headers["x-profiled-status"] == "200"
        assert admin not in srv.logs()
    finally:
        assert srv.stop() == 0


def test_profiling_refused_in_production() -> None:
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "METRICS_PORT": str(free_port()),
        "ENABLE_PROFILING": "true",
        "ENVIRONMENT": "production",
    }
    proc = subprocess.run([str(CLI), "serve"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "ENABLE_PROFILING" in proc.stderr

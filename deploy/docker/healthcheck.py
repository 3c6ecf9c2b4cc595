#!/usr/bin/env python3
"""Container health check for PromptSentinel, standard library only (the image has no curl).

Exit 0 when GET <scheme>://127.0.0.1:<PORT><path> answers 2xx within the timeout, else 1.
The scheme follows ENABLE_TLS (the certificate is not verified: the check talks to the
process in the same container, by address, not by name).

    python /usr/local/bin/promptsentinel-healthcheck            # /health (liveness)
    python /usr/local/bin/promptsentinel-healthcheck /health/ready
"""

from __future__ import annotations

import os
import ssl
import sys
import urllib.error
import urllib.request

TRUE = {"1", "true", "yes", "on", "t", "y"}


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "/health"
    tls = os.environ.get("ENABLE_TLS", "").strip().lower() in TRUE
    port = os.environ.get("PORT", "8080").strip() or "8080"
    timeout = float(os.environ.get("HEALTHCHECK_TIMEOUT", "2"))
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}{path}"
    context = ssl._create_unverified_context() if tls else None  # noqa: S323 - loopback self-check
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as resp:  # noqa: S310
            ok = 200 <= resp.status < 300
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1
    if not ok:
        print(f"unhealthy: {url}: HTTP {resp.status}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

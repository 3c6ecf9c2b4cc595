"""Read the deployment artefacts into one shape the consistency tests can check.

A :class:`Workload` is one place that runs the PromptSentinel container: its environment
(literal values, or ``None`` where the value comes from a secret), the HTTP paths its health
checks use, its container ports and its image.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.support import DEPLOY, ROOT

HEALTHCHECK_SCRIPT = "/usr/local/bin/promptsentinel-healthcheck"
IMAGE = re.compile(r"promptsentinel(?:/promptsentinel)?:([\w.\-]+)")


@dataclass
class Workload:
    source: str
    env: dict[str, str | None] = field(default_factory=dict)
    probe_paths: set[str] = field(default_factory=set)
    ports: set[int] = field(default_factory=set)
    image: str = ""
    secrets: set[str] = field(default_factory=set)  # Docker secrets (/run/secrets/<name>)


# --- Dockerfile ----------------------------------------------------------------------------


@dataclass
class Dockerfile:
    preamble: list[tuple[str, str]]  # global ARGs before the first FROM
    stages: list[list[tuple[str, str]]]  # per stage: (INSTRUCTION, arguments)

    @classmethod
    def parse(cls, path: Path = ROOT / "Dockerfile") -> Dockerfile:
        logical, buf = [], ""
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if not buf and (not line or line.startswith("#")):
                continue
            if line.startswith("#"):
                continue
            if line.endswith("\\"):
                buf += line[:-1] + " "
                continue
            logical.append(buf + line)
            buf = ""
        preamble: list[tuple[str, str]] = []
        stages: list[list[tuple[str, str]]] = []
        for line in logical:
            instr, _, args = line.partition(" ")
            if instr.upper() == "FROM":
                stages.append([])
            (stages[-1] if stages else preamble).append((instr.upper(), args.strip()))
        return cls(preamble, stages)

    def base_images(self) -> list[str]:
        """Each stage's FROM image with global ARG defaults substituted."""
        args = dict(a.split("=", 1) for i, a in self.preamble if i == "ARG" and "=" in a)
        out = []
        for stage in self.stages:
            image = stage[0][1].split()[0]
            for name, value in args.items():
                image = image.replace("${" + name + "}", value).replace("$" + name, value)
            out.append(image)
        return out

    @property
    def final(self) -> list[tuple[str, str]]:
        return self.stages[-1]

    def all(self, instr: str, stage: list[tuple[str, str]] | None = None) -> list[str]:
        return [a for i, a in (stage if stage is not None else self.final) if i == instr]

    def env(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for args in self.all("ENV"):
            for token in shlex.split(args):
                name, _, value = token.partition("=")
                out[name] = value
        return out

    def cmd(self) -> list[str]:
        return list(json.loads(self.all("CMD")[-1]))

    def healthcheck(self) -> list[str]:
        args = self.all("HEALTHCHECK")[-1]
        return list(json.loads(args[args.index("CMD") + 3 :].strip()))

    def exposed(self) -> set[int]:
        return {int(p.split("/")[0]) for a in self.all("EXPOSE") for p in a.split()}


def _healthcheck_path(command: list[str]) -> str | None:
    if HEALTHCHECK_SCRIPT in command:
        rest = command[command.index(HEALTHCHECK_SCRIPT) + 1 :]
        return rest[0] if rest else "/health"
    return None


def dockerfile_workload() -> Workload:
    df = Dockerfile.parse()
    w = Workload("Dockerfile", env=dict(df.env()), ports=df.exposed())
    path = _healthcheck_path(df.healthcheck())
    if path:
        w.probe_paths.add(path)
    return w


# --- Compose -------------------------------------------------------------------------------


def compose_workloads() -> list[Workload]:
    out = []
    for path in sorted((DEPLOY / "compose").glob("*.yml")):
        svc = yaml.safe_load(path.read_text())["services"]["promptsentinel"]
        env = svc.get("environment", {})
        if isinstance(env, list):
            env = dict(item.split("=", 1) for item in env)
        w = Workload(
            path.relative_to(ROOT).as_posix(),
            env={k: str(v) for k, v in env.items()},
            image=svc.get("image", ""),
        )
        for spec in svc.get("ports", []):
            w.ports.add(int(str(spec).split(":")[-1].split("/")[0]))
        test = (svc.get("healthcheck") or {}).get("test") or []
        hp = _healthcheck_path(list(test))
        if hp:
            w.probe_paths.add(hp)
        w.secrets = {s if isinstance(s, str) else s["source"] for s in svc.get("secrets", [])}
        out.append(w)
    return out


# --- Kubernetes (also the rendered chart) ---------------------------------------------------


def _probe_paths(container: dict[str, Any]) -> set[str]:
    paths = set()
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        probe = container.get(kind) or {}
        if "httpGet" in probe:
            paths.add(probe["httpGet"]["path"])
        elif "exec" in probe:
            hp = _healthcheck_path(probe["exec"]["command"])
            if hp:
                paths.add(hp)
    return paths


def is_sentinel_container(container: dict[str, Any]) -> bool:
    return bool(IMAGE.search(str(container.get("image", ""))))


def k8s_workloads(docs: list[dict[str, Any]], source: str) -> list[Workload]:
    out = []
    for doc in docs:
        spec = doc.get("spec") or {}
        if (
            doc.get("kind") == "Service"
            and doc.get("apiVersion") == "serving.knative.dev/v1"
            or doc.get("kind") in ("Deployment", "StatefulSet")
        ):
            pod = spec["template"]["spec"]
        elif doc.get("kind") == "Pod":
            pod = spec
        else:
            continue
        for c in pod.get("containers", []):
            if not is_sentinel_container(c):
                continue
            w = Workload(f"{source}:{doc['kind']}/{doc['metadata']['name']}", image=c["image"])
            for e in c.get("env", []):
                w.env[e["name"]] = e.get("value") if "value" in e else None
            w.probe_paths = _probe_paths(c)
            w.ports = {p["containerPort"] for p in c.get("ports", [])}
            if doc.get("kind") != "Pod":
                out.append(w)
    return out


def load_yaml_docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def kubernetes_files() -> list[Path]:
    return sorted((DEPLOY / "kubernetes").glob("*.yaml"))


# --- Cloud ----------------------------------------------------------------------------------


def ecs_workload() -> Workload:
    task = json.loads((DEPLOY / "cloud" / "aws" / "ecs-task-definition.json").read_text())
    c = next(c for c in task["containerDefinitions"] if c["name"] == "promptsentinel")
    w = Workload("deploy/cloud/aws/ecs-task-definition.json", image=c["image"])
    w.env = {e["name"]: e["value"] for e in c["environment"]}
    w.env.update({s["name"]: None for s in c.get("secrets", [])})
    w.ports = {p["containerPort"] for p in c["portMappings"]}
    hp = _healthcheck_path(c["healthCheck"]["command"])
    if hp:
        w.probe_paths.add(hp)
    return w


def aci_workload() -> Workload:
    tpl = json.loads((DEPLOY / "cloud" / "azure" / "aci.json").read_text())
    group = tpl["resources"][0]["properties"]
    c = group["containers"][0]["properties"]
    w = Workload("deploy/cloud/azure/aci.json", image=tpl["parameters"]["image"]["defaultValue"])
    for e in c["environmentVariables"]:
        value = e.get("value")
        w.env[e["name"]] = None if value is None or value.startswith("[") else value
    w.ports = {p["port"] for p in c["ports"]}
    for kind in ("livenessProbe", "readinessProbe"):
        probe = c[kind]
        hp = _healthcheck_path(probe["exec"]["command"]) if "exec" in probe else probe["httpGet"]["path"]
        if hp:
            w.probe_paths.add(hp)
    return w


def cloudrun_workloads() -> list[Workload]:
    path = DEPLOY / "cloud" / "gcp" / "cloudrun-service.yaml"
    return k8s_workloads(load_yaml_docs(path), path.relative_to(ROOT).as_posix())


def terraform_workload() -> Workload:
    text = (DEPLOY / "terraform" / "multi-region" / "modules" / "region" / "main.tf").read_text()
    w = Workload("deploy/terraform/multi-region/modules/region/main.tf")
    pairs = re.findall(r'\{\s*name\s*=\s*"([A-Z][A-Z0-9_]*)"\s*,\s*value\s*=\s*("[^"]*"|[\w.]+)', text)
    w.env = {name: value.strip('"') if value.startswith('"') else None for name, value in pairs}
    w.probe_paths = set(re.findall(r'path\s*=\s*"(/[^"]*)"', text))
    w.probe_paths |= {m for m in re.findall(r'"(/health[^"]*)"', text)}
    w.ports = {8080, 9090} & {int(p) for p in re.findall(r"\b(\d{4})\b", text)}
    return w


def static_workloads() -> list[Workload]:
    """Every workload except the Helm chart's (rendered separately)."""
    out = [
        dockerfile_workload(),
        *compose_workloads(),
        ecs_workload(),
        aci_workload(),
        *cloudrun_workloads(),
        terraform_workload(),
    ]
    for path in kubernetes_files():
        out += k8s_workloads(load_yaml_docs(path), path.relative_to(ROOT).as_posix())
    return out


def config_maps(docs: list[dict[str, Any]]) -> dict[str, str]:
    """name/key -> text for every ConfigMap entry."""
    return {
        f"{d['metadata']['name']}/{k}": v
        for d in docs
        if d.get("kind") == "ConfigMap"
        for k, v in (d.get("data") or {}).items()
    }

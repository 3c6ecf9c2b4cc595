"""Offline validation of every artefact under deploy/: YAML/JSON syntax, Kubernetes schemas
(kubernetes-validate), the Compose Specification (check-jsonschema), Terraform syntax and
references (python-hcl2), shell scripts (shellcheck) and redis.conf files (a real
redis-server)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import hcl2
import kubernetes_validate
import pytest
import yaml

from tests.deploy.artifacts import config_maps, kubernetes_files, load_yaml_docs
from tests.deploy.support import DEPLOY, ROOT, ensure_tool

BIN = Path(sys.executable).parent
# The newest schemas kubernetes-validate ships and an older release still in wide use.
K8S_VERSIONS = [kubernetes_validate.latest_version(), "1.29.0"]
YAML_FILES = sorted(p for p in DEPLOY.rglob("*.y*ml") if "templates" not in p.parts)
JSON_FILES = sorted(DEPLOY.rglob("*.json"))


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_yaml_parses(path: Path) -> None:
    assert list(yaml.safe_load_all(path.read_text()))


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_json_parses(path: Path) -> None:
    json.loads(path.read_text())


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("path", kubernetes_files(), ids=lambda p: p.name)
def test_kubernetes_schema(path: Path, version: str) -> None:
    for doc in load_yaml_docs(path):
        kubernetes_validate.validate(doc, version, strict=True)


def test_kubernetes_schema_catches_mistakes() -> None:
    """The validator is not a rubber stamp: a misspelt field fails."""
    doc = load_yaml_docs(DEPLOY / "kubernetes" / "central-service.yaml")[1]
    doc["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(doc, K8S_VERSIONS[0], strict=True)


@pytest.mark.parametrize("path", sorted((DEPLOY / "compose").glob("*.yml")), ids=lambda p: p.name)
def test_compose_schema(path: Path) -> None:
    proc = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_compose_schema_catches_mistakes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("services:\n  a:\n    image: x\n    healthchek: {}\n")
    proc = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0


TF_ROOTS = sorted({p.parent for p in (DEPLOY / "terraform").rglob("*.tf")})
REF = re.compile(r"(?<![\w.\"-])(aws_[a-z0-9_]+|data\.aws_[a-z0-9_]+|var|local|module)\.([a-z0-9_]+)")


def _declared(directory: Path) -> set[str]:
    names: set[str] = set()
    for tf in directory.glob("*.tf"):
        doc = hcl2.loads(tf.read_text())
        for block in doc.get("resource", []):
            for rtype, body in block.items():
                names |= {f"{rtype.strip(chr(34))}.{n.strip(chr(34))}" for n in body}
        for block in doc.get("data", []):
            for rtype, body in block.items():
                names |= {f"data.{rtype.strip(chr(34))}.{n.strip(chr(34))}" for n in body}
        for key, prefix in (("variable", "var"), ("module", "module"), ("locals", "local")):
            for block in doc.get(key, []):
                names |= {f"{prefix}.{n.strip(chr(34))}" for n in block if n != "__comments__"}
    return names


@pytest.mark.parametrize("directory", TF_ROOTS, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_terraform_parses_and_references_resolve(directory: Path) -> None:
    declared = _declared(directory)
    for tf in directory.glob("*.tf"):
        text = re.sub(r"#[^\n]*", "", tf.read_text())
        for kind, name in REF.findall(text):
            ref = f"{kind}.{name}"
            assert ref in declared, f"{tf.name}: {ref} is not declared in {directory.name}"
    outputs = _outputs(directory)
    assert outputs
    if directory.name == "multi-region":  # the root uses the module's outputs
        module_outputs = _outputs(directory / "modules" / "region")
        used = set(re.findall(r"module\.\w+\.(\w+)", (directory / "main.tf").read_text()))
        assert used and used <= module_outputs, used - module_outputs


def _outputs(directory: Path) -> set[str]:
    return {
        n.strip('"')
        for tf in directory.glob("*.tf")
        for block in hcl2.loads(tf.read_text()).get("output", [])
        for n in block
    }


SCRIPTS = sorted((DEPLOY / "scripts").glob("*.sh")) + sorted((ROOT / "scripts").glob("ensure-*.sh"))


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_shellcheck(path: Path) -> None:
    proc = subprocess.run([str(BIN / "shellcheck"), "-x", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout


def _redis_confs() -> dict[str, str]:
    out = {p.name: p.read_text() for p in sorted((DEPLOY / "redis").glob("*.conf"))}
    for path in kubernetes_files():
        for name, text in config_maps(load_yaml_docs(path)).items():
            if name.endswith("redis.conf"):
                out[f"{path.name}:{name}"] = text
    return out


@pytest.mark.parametrize("name", sorted(_redis_confs()))
def test_redis_conf_loads_in_redis_server(name: str) -> None:
    from tests.deploy.redis_conf import check_redis_conf

    ensure_tool("ensure-redis.sh", "redis-server")
    check_redis_conf(_redis_confs()[name], Path(tempfile.mkdtemp(prefix="redisconf-")))

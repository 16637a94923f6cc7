"""The Kubernetes manifests in deploy/: they parse, every setting they pass exists in
`Settings`, and images, ports, probes and users agree with the Dockerfile."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.config import Settings
from tests.conftest import REPO

DEPLOY = REPO / "deploy"
Manifest = dict[str, Any]
IMAGE_OF_TARGET = {"gateway": "guardchat-gateway", "model-server": "guardchat-model-server"}
WORKLOAD_KINDS = {"Deployment", "StatefulSet"}


def documents(path: Path) -> list[Manifest]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def all_manifests() -> list[Manifest]:
    return [doc for path in sorted(DEPLOY.glob("*.yaml")) for doc in documents(path)]


def find(kind: str, name: str) -> Manifest:
    matches = [m for m in all_manifests() if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def containers(workload: Manifest) -> list[Manifest]:
    return list(workload["spec"]["template"]["spec"]["containers"])


def only_container(workload: Manifest) -> Manifest:
    (container,) = containers(workload)
    return container


@dataclass(frozen=True)
class DockerTarget:
    """What one Dockerfile stage promises: its port, health-check path and user id."""

    port: int
    health_path: str
    uid: int


def docker_targets() -> dict[str, DockerTarget]:
    text = (REPO / "Dockerfile").read_text()
    stages = re.split(r"^FROM .* AS (\S+)$", text, flags=re.MULTILINE)[1:]
    targets = {}
    for name, body in zip(stages[::2], stages[1::2], strict=True):
        port = re.search(r"^EXPOSE (\d+)", body, flags=re.MULTILINE)
        health = re.search(r"http://127\.0\.0\.1:\d+(/\w+)", body)
        uid = re.search(r"useradd .*--uid (\d+)", body)
        assert port and health and uid, f"stage {name}: EXPOSE, HEALTHCHECK and useradd expected"
        targets[name] = DockerTarget(int(port[1]), health[1], int(uid[1]))
    return targets


def settings_env_names() -> set[str]:
    return {f"GUARDCHAT_{name.upper()}" for name in Settings.model_fields}


def env_names_set(manifests: list[Manifest]) -> Iterator[tuple[str, str]]:
    """(where, name) for every environment variable the manifests set."""
    for m in manifests:
        where = f"{m['kind']}/{m['metadata']['name']}"
        if m["kind"] in {"ConfigMap", "Secret"}:
            for key in {**m.get("data", {}), **m.get("stringData", {})}:
                yield where, key
        if m["kind"] in WORKLOAD_KINDS:
            for container in containers(m):
                for env in container.get("env", []):
                    yield where, env["name"]


def test_every_file_parses_and_each_document_is_named() -> None:
    files = sorted(DEPLOY.glob("*.yaml"))
    assert len(files) >= 6
    for path in files:
        for doc in documents(path):
            assert doc.get("apiVersion") and doc.get("kind"), path.name
            assert doc.get("metadata", {}).get("name"), f"{path.name}: {doc['kind']} has no name"


def test_the_kustomization_lists_every_manifest_but_the_secret_example() -> None:
    kustomization = documents(DEPLOY / "kustomization.yaml")[0]
    listed = set(kustomization["resources"])
    on_disk = {p.name for p in DEPLOY.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk - {"secrets.example.yaml"}
    assert {image["name"] for image in kustomization["images"]} == set(IMAGE_OF_TARGET.values())


def test_every_guardchat_setting_the_manifests_pass_exists_in_settings() -> None:
    manifests = all_manifests() + documents(DEPLOY / "secrets.example.yaml")
    passed = [
        (where, name) for where, name in env_names_set(manifests) if name.startswith("GUARDCHAT_")
    ]
    assert len(passed) > 10
    unknown = [f"{where}: {name}" for where, name in passed if name not in settings_env_names()]
    assert not unknown, f"not fields of service.config.Settings: {unknown}"


def test_configured_values_are_valid_settings() -> None:
    """The ConfigMap's values (with the example secrets) pass Settings' own validation."""
    config = find("ConfigMap", "guardchat-config")["data"]
    secrets = documents(DEPLOY / "secrets.example.yaml")[0]["stringData"]
    values = {
        name.removeprefix("GUARDCHAT_").lower(): value
        for name, value in {**config, **secrets}.items()
        if name.startswith("GUARDCHAT_") and name != "GUARDCHAT_COMPANY_PROFILE"
    }
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    assert settings.environment == "production" and settings.is_postgres
    assert settings.model_url == "http://guardchat-model-server:8001"


@pytest.mark.parametrize("target", ["gateway", "model-server"])
def test_images_ports_probes_and_users_match_the_dockerfile(target: str) -> None:
    expected = docker_targets()[target]
    workload = find("Deployment", IMAGE_OF_TARGET[target])
    container = only_container(workload)
    assert container["image"] == IMAGE_OF_TARGET[target]
    assert [p["containerPort"] for p in container["ports"]] == [expected.port]
    assert container["livenessProbe"]["httpGet"]["path"] == expected.health_path
    pod_security = workload["spec"]["template"]["spec"]["securityContext"]
    assert pod_security["runAsNonRoot"] is True and pod_security["runAsUser"] == expected.uid
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert "--port" in container["args"]
    assert container["args"][container["args"].index("--port") + 1] == str(expected.port)
    service = find("Service", IMAGE_OF_TARGET[target])
    assert [p["port"] for p in service["spec"]["ports"]] == [expected.port]


def test_the_gateway_runs_replicas_with_probes_config_and_an_autoscaler() -> None:
    gateway = find("Deployment", "guardchat-gateway")
    container = only_container(gateway)
    assert gateway["spec"]["replicas"] == 2
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["resources"]["requests"] and container["resources"]["limits"]
    refs = {next(iter(ref)): next(iter(ref.values()))["name"] for ref in container["envFrom"]}
    assert find("ConfigMap", refs["configMapRef"])["data"]["GUARDCHAT_MODEL_URL"]
    assert refs["secretRef"] == documents(DEPLOY / "secrets.example.yaml")[0]["metadata"]["name"]
    config = find("ConfigMap", refs["configMapRef"])["data"]
    assert any(key.startswith("OTEL_") for key in config)
    hpa = find("HorizontalPodAutoscaler", "guardchat-gateway")["spec"]
    assert hpa["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "guardchat-gateway",
    }
    assert hpa["minReplicas"] >= 2


def test_the_model_server_runs_on_a_gpu_node_with_a_mounted_model() -> None:
    workload = find("Deployment", "guardchat-model-server")
    pod = workload["spec"]["template"]["spec"]
    container = only_container(workload)
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert pod["nodeSelector"] and any(t["key"] == "nvidia.com/gpu" for t in pod["tolerations"])
    assert container["args"][container["args"].index("--device") + 1] == "cuda"
    assert container["readinessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    model = next(env["value"] for env in container["env"] if env["name"] == "GUARDCHAT_MODEL")
    mounts = [mount["mountPath"] for mount in container["volumeMounts"]]
    assert any(model.startswith(mount + "/") for mount in mounts), (model, mounts)


def test_named_ports_resolve_and_services_select_a_workload() -> None:
    manifests = all_manifests()
    workloads = [m for m in manifests if m["kind"] in WORKLOAD_KINDS]
    for service in (m for m in manifests if m["kind"] == "Service"):
        selector = service["spec"]["selector"]
        selected = [
            w for w in workloads
            if selector.items() <= w["spec"]["template"]["metadata"]["labels"].items()
        ]  # fmt: skip
        assert len(selected) == 1, service["metadata"]["name"]
        port_names = {p["name"] for c in containers(selected[0]) for p in c["ports"]}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in port_names, (service["metadata"]["name"], port)


def test_the_collector_takes_otlp_over_grpc_and_http() -> None:
    config = yaml.safe_load(find("ConfigMap", "otel-collector-config")["data"]["config.yaml"])
    protocols = config["receivers"]["otlp"]["protocols"]
    assert {"grpc", "http"} <= protocols.keys()
    assert "traces" in config["service"]["pipelines"]
    ports = {p["port"] for p in find("Service", "otel-collector")["spec"]["ports"]}
    assert ports == {4317, 4318}
    endpoint = find("ConfigMap", "guardchat-config")["data"]["OTEL_EXPORTER_OTLP_ENDPOINT"]
    assert endpoint.endswith(":4317")

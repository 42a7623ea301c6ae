"""Static checks of the container setup: docker/Dockerfile, docker/compose.yaml, docker/.env.example.

Docker does not run where the tests run, so nothing here builds or starts a container. What can
be checked without it is: the compose file parses and only refers to things that exist (services,
volumes, bind-mounted paths, the Dockerfile, the files monitoring/ configures), every image is
pinned, every WIREWATCH_ variable is a setting Wirewatch reads (and every setting is in
.env.example), host ports do not clash, the worker can be scaled, the Prometheus, Alertmanager and
Grafana configurations name the compose services and ports, the three-broker setup is consistent,
and the Dockerfile has a non-root user, a /readyz healthcheck, pinned bases and no compilers in
its final stage.
"""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from streams.cli import main as cli_main
from streams.settings import Settings
from tests.docker.env_example import render

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE_FILE = DOCKER / "compose.yaml"
DOCKERFILE = DOCKER / "Dockerfile"
ENV_EXAMPLE = DOCKER / ".env.example"
KAFKA_3_ENV = DOCKER / "kafka-3.env"
DOCKERIGNORE = ROOT / ".dockerignore"
MONITORING = ROOT / "monitoring"

COMPOSE: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text("utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
FIELDS = set(Settings.model_fields)

_VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<default>[^}]*))?\}")


def read_env_file(path: Path) -> tuple[dict[str, str], set[str]]:
    """Active ``KEY=VALUE`` lines, and the keys of commented-out ``# KEY=`` lines."""
    active: dict[str, str] = {}
    commented: set[str] = set()
    for line in path.read_text("utf-8").splitlines():
        stripped = line.strip()
        if match := re.fullmatch(r"#\s*([A-Z][A-Z0-9_]*)=.*", stripped):
            commented.add(match.group(1))
        elif stripped and not stripped.startswith("#"):
            key, sep, value = stripped.partition("=")
            assert sep, f"{path.name}: not KEY=VALUE: {line!r}"
            active[key.strip()] = value.strip().strip("'\"")
    return active, commented


ENV_ACTIVE, ENV_COMMENTED = read_env_file(ENV_EXAMPLE)
KAFKA_3_ACTIVE, KAFKA_3_COMMENTED = read_env_file(KAFKA_3_ENV)

#: The variable sets compose can be run with: no docker/.env, a copy of .env.example, kafka-3.env.
SCENARIOS: dict[str, dict[str, str]] = {"defaults": {}, ".env.example": ENV_ACTIVE, "kafka-3.env": KAFKA_3_ACTIVE}


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR-default}``, recursively."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match[str]) -> str:
        name, op, default = match.group("name"), match.group("op"), match.group("default") or ""
        if op == ":-":
            return env.get(name) or default
        if op == "-":
            return env.get(name, default)
        assert name in env, f"${{{name}}} has no default and is not set"
        return env[name]

    return _VARIABLE.sub(one, value)


def services(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    return interpolate(SERVICES, env)  # type: ignore[no-any-return]


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def host_ports(service: dict[str, Any]) -> list[int]:
    """Published host ports of short-syntax ``[ip:]host:container`` entries."""
    found = []
    for entry in service.get("ports", []):
        parts = str(entry).split(":")
        assert len(parts) in (2, 3), f"publish a fixed host port, not {entry!r}"
        found.append(int(parts[-2]))
    return found


def bind_mounts(service: dict[str, Any]) -> list[tuple[str, str]]:
    """(host path, container path) of the service's bind mounts (short syntax)."""
    mounts = []
    for entry in service.get("volumes", []):
        source, target = str(entry).split(":")[:2]
        if source.startswith((".", "/")):
            mounts.append((source, target))
    return mounts


def image_is_pinned(image: str) -> bool:
    if "@sha256:" in image:
        return True
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag not in ("", "latest")


# -- compose --------------------------------------------------------------------------------


def test_compose_parses_and_names_the_services() -> None:
    assert {"kafka", "kafka-2", "kafka-3", "topics", "worker", "prometheus", "alertmanager", "grafana"} <= set(SERVICES)
    assert {"alert-receiver", "kafka-ui"} <= set(SERVICES)


def test_profiles_keep_the_default_setup_whole() -> None:
    """`up` without a profile starts a complete single-node setup; extras are opt-in."""
    assert SERVICES["kafka-2"].get("profiles") == ["kafka-3"]
    assert SERVICES["kafka-3"].get("profiles") == ["kafka-3"]
    assert SERVICES["kafka-ui"].get("profiles") == ["ui"]
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on") or {}:
            assert dependency in SERVICES, f"{name} depends on unknown service {dependency}"
            if not service.get("profiles"):
                # compose refuses a dependency on a service its profile disables
                assert not SERVICES[dependency].get("profiles"), f"{name} (always on) depends on {dependency}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_image_is_pinned(scenario: str) -> None:
    for name, service in services(SCENARIOS[scenario]).items():
        image = service.get("image")
        assert image, f"{name}: give every service an image (the worker's is the tag it is built as)"
        assert image_is_pinned(image), f"{name}: image {image!r} is not pinned to a version"


def test_compose_variables_are_documented_with_the_same_defaults() -> None:
    """Every ${VAR} of compose.yaml is in .env.example, with the value compose falls back to."""
    for match in _VARIABLE.finditer(COMPOSE_FILE.read_text("utf-8")):
        name, default = match.group("name"), match.group("default")
        assert name in ENV_ACTIVE or name in ENV_COMMENTED, f"document ${{{name}}} in docker/.env.example"
        assert match.group("op") == ":-", f"${{{name}}} needs a default (`:-`): compose must run without docker/.env"
        if name in ENV_ACTIVE:
            assert ENV_ACTIVE[name] == default, f"{name}: .env.example says {ENV_ACTIVE[name]!r}, compose {default!r}"


def test_the_workers_build_from_the_dockerfile() -> None:
    for name in ("worker", "topics"):
        build = SERVICES[name]["build"]
        assert (DOCKER / build["context"]).resolve() == ROOT, f"{name}: build context is the repository root"
        assert (ROOT / build["dockerfile"]).resolve() == DOCKERFILE
    assert SERVICES["worker"]["image"] == SERVICES["topics"]["image"]
    assert DOCKERFILE.is_file()


def test_every_mounted_path_and_env_file_exists() -> None:
    declared = set(COMPOSE.get("volumes") or {})
    for scenario, env in SCENARIOS.items():
        for name, service in services(env).items():
            for source, _target in bind_mounts(service):
                assert (DOCKER / source).resolve().exists(), f"{name}: mounts missing {source} (relative to docker/)"
            for entry in service.get("volumes", []):
                source = str(entry).split(":")[0]
                if not source.startswith((".", "/")):
                    assert source in declared, f"{name} ({scenario}): volume {source} is not declared"
            for entry in service.get("env_file", []):
                path, required = (entry, True) if isinstance(entry, str) else (entry["path"], entry["required"])
                if required:
                    assert (DOCKER / path).is_file(), f"{name}: env_file {path} does not exist"


def test_wirewatch_variables_are_settings_and_every_setting_is_documented() -> None:
    used: dict[str, str] = {}
    for name, service in SERVICES.items():
        for key in environment(service):
            used[key] = f"compose.yaml service {name}"
    for key in [*ENV_ACTIVE, *ENV_COMMENTED]:
        used.setdefault(key, "docker/.env.example")
    for key in [*KAFKA_3_ACTIVE, *KAFKA_3_COMMENTED]:
        used.setdefault(key, "docker/kafka-3.env")
    for key, where in used.items():
        # WIREWATCH_IMAGE is the compose variable of the image tag, not a setting
        if key.startswith("WIREWATCH_") and key != "WIREWATCH_IMAGE":
            assert key.removeprefix("WIREWATCH_").lower() in FIELDS, f"{where}: {key} is not a Wirewatch setting"
    documented = {key for key in [*ENV_ACTIVE, *ENV_COMMENTED] if key.startswith("WIREWATCH_")}
    missing = sorted(f"WIREWATCH_{f.upper()}" for f in FIELDS if f"WIREWATCH_{f.upper()}" not in documented)
    assert not missing, f"docker/.env.example lacks {missing}"


def test_env_example_is_generated_from_the_settings() -> None:
    assert ENV_EXAMPLE.read_text("utf-8") == render(), (
        "docker/.env.example drifted: python -m tests.docker.env_example > docker/.env.example"
    )


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_workers_settings_are_valid(scenario: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a worker container gets (env_file .env.example, then compose's environment) validates."""
    worker = services(SCENARIOS[scenario])["worker"]
    values = {k: v for k, v in ENV_ACTIVE.items() if k.startswith("WIREWATCH_")} | environment(worker)
    for key in list(Settings.model_fields):
        monkeypatch.delenv(f"WIREWATCH_{key.upper()}", raising=False)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    settings = Settings()
    assert settings.web_host == "0.0.0.0"
    assert settings.replication_factor == (3 if scenario == "kafka-3.env" else 1)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_host_ports_do_not_clash(scenario: str) -> None:
    """Across every service, whatever profile it is in."""
    owner: dict[int, str] = {}
    for name, service in services(SCENARIOS[scenario]).items():
        for port in host_ports(service):
            assert port not in owner, f"host port {port}: {owner.get(port)} and {name}"
            owner[port] = name
    if scenario == "defaults":
        assert {9092, 29092, 39092, 9090, 9093, 3000, 8080} == set(owner)


def test_the_worker_can_be_scaled() -> None:
    worker = SERVICES["worker"]
    assert "container_name" not in worker, "a fixed container name allows one replica only"
    assert not worker.get("ports"), "a published host port allows one replica only"
    for name, service in SERVICES.items():
        assert "container_name" not in service, f"{name}: let compose name containers"
    assert worker["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert SERVICES["topics"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert SERVICES["topics"]["restart"] == "no"


def test_the_workers_listen_where_prometheus_scrapes() -> None:
    prometheus = yaml.safe_load((MONITORING / "prometheus" / "prometheus.yml").read_text("utf-8"))
    worker_env = environment(SERVICES["worker"])
    assert worker_env["WIREWATCH_WEB_HOST"] == "0.0.0.0"
    for job in prometheus["scrape_configs"]:
        for sd in job.get("dns_sd_configs", []):
            for name in sd["names"]:
                assert name in SERVICES, f"job {job['job_name']} resolves {name}, not a compose service"
            assert str(sd["port"]) == worker_env["WIREWATCH_WEB_PORT"]
            assert str(sd["port"]) in [str(p) for p in SERVICES["worker"]["expose"]]
        for static in job.get("static_configs", []):
            for target in static["targets"]:
                host = target.rsplit(":", 1)[0]
                assert host == "localhost" or host in SERVICES, f"job {job['job_name']}: {target}"


def _container_ports(service: dict[str, Any]) -> set[str]:
    published = {str(p).split(":")[-1] for p in service.get("ports", [])}
    return published | {str(p) for p in service.get("expose", [])}


def test_alerting_goes_to_compose_services() -> None:
    prometheus = yaml.safe_load((MONITORING / "prometheus" / "prometheus.yml").read_text("utf-8"))
    for manager in prometheus["alerting"]["alertmanagers"]:
        for static in manager["static_configs"]:
            for target in static["targets"]:
                host, port = target.rsplit(":", 1)
                assert host in SERVICES and port in _container_ports(SERVICES[host]), target
    alertmanager = yaml.safe_load((MONITORING / "alertmanager" / "alertmanager.yml").read_text("utf-8"))
    for receiver in alertmanager["receivers"]:
        for hook in receiver.get("webhook_configs", []):
            url = urlsplit(hook["url"])
            assert url.hostname in SERVICES, f"{receiver['name']}: {hook['url']}"
            assert str(url.port) in _container_ports(SERVICES[url.hostname]), hook["url"]
    script = SERVICES["alert-receiver"]["command"][-1]
    source = dict((t, s) for s, t in bind_mounts(SERVICES["alert-receiver"]))[script]
    assert '"9095"' in (DOCKER / source).read_text("utf-8")


def test_servers_find_their_configuration_in_the_mounts() -> None:
    """`--config.file=…` of Prometheus and Alertmanager lies in a bind mount of an existing file."""
    for name in ("prometheus", "alertmanager"):
        service = SERVICES[name]
        configs = [arg.split("=", 1)[1] for arg in service["command"] if arg.startswith("--config.file=")]
        assert configs, f"{name}: give --config.file"
        for config in configs:
            hosts = [
                (DOCKER / source).resolve() / Path(config).relative_to(target)
                for source, target in bind_mounts(service)
                if config.startswith(target + "/")
            ]
            assert hosts and hosts[0].is_file(), f"{name}: {config} is not a mounted file"


def test_grafana_mounts_what_monitoring_readme_names() -> None:
    readme = (MONITORING / "README.md").read_text("utf-8")
    named = re.findall(r"^\s+(monitoring/grafana/\S+):(/\S+?)(?::ro)?$", readme, re.MULTILINE)
    assert len(named) == 2, "monitoring/README.md names the provisioning and dashboards mounts"
    mounts = {(str((DOCKER / s).resolve().relative_to(ROOT)), t) for s, t in bind_mounts(SERVICES["grafana"])}
    for host, target in named:
        assert (host, target) in mounts, f"grafana does not mount {host} at {target}"
    provider = yaml.safe_load((MONITORING / "grafana/provisioning/dashboards/dashboards.yml").read_text("utf-8"))
    targets = {t for _s, t in mounts}
    for entry in provider["providers"]:
        assert entry["options"]["path"] in targets
    datasources = yaml.safe_load((MONITORING / "grafana/provisioning/datasources/prometheus.yml").read_text("utf-8"))
    for source in datasources["datasources"]:
        url = urlsplit(source["url"])
        assert url.hostname in SERVICES and str(url.port) in _container_ports(SERVICES[url.hostname])


def test_the_three_broker_setup_is_consistent() -> None:
    env = services(KAFKA_3_ACTIVE)
    nodes = {name: environment(env[name]) for name in ("kafka", "kafka-2", "kafka-3")}
    voters = {v["KAFKA_CONTROLLER_QUORUM_VOTERS"] for v in nodes.values()}
    assert len(voters) == 1, "every node names the same controller quorum"
    quorum = dict(voter.split("@") for voter in voters.pop().split(","))
    assert {values["KAFKA_NODE_ID"] for values in nodes.values()} == set(quorum), "one voter per node"
    for name, values in nodes.items():
        assert quorum[values["KAFKA_NODE_ID"]] == f"{name}:9093"
        assert values["KAFKA_DEFAULT_REPLICATION_FACTOR"] == values["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "3"
    assert len({v["CLUSTER_ID"] for v in nodes.values()}) == 1
    broker = environment(env["worker"])["WIREWATCH_BROKER"]
    internal = {v["KAFKA_ADVERTISED_LISTENERS"].split(",")[0].removeprefix("INTERNAL://") for v in nodes.values()}
    assert set(broker.removeprefix("kafka://").split(";")) == internal
    assert int(environment(env["worker"])["WIREWATCH_REPLICATION_FACTOR"]) == 3 <= len(nodes)
    assert KAFKA_3_ACTIVE["COMPOSE_PROFILES"] == "kafka-3"
    # node 1 formats a fresh volume for the three-voter quorum
    assert KAFKA_3_ACTIVE["KAFKA_DATA_VOLUME"] != ENV_ACTIVE["KAFKA_DATA_VOLUME"]


def test_the_single_node_is_its_own_quorum() -> None:
    kafka = environment(services({})["kafka"])
    assert kafka["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert kafka["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{kafka['KAFKA_NODE_ID']}@kafka:9093"
    assert environment(services({})["worker"])["WIREWATCH_BROKER"] == "kafka://kafka:19092"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_kafka_advertises_the_published_host_ports(scenario: str) -> None:
    for name, service in services(SCENARIOS[scenario]).items():
        env = environment(service)
        if "KAFKA_ADVERTISED_LISTENERS" not in env:
            continue
        external = [x for x in env["KAFKA_ADVERTISED_LISTENERS"].split(",") if x.startswith("EXTERNAL://")]
        assert [int(external[0].rsplit(":", 1)[1])] == host_ports(service), name


# -- Dockerfile -----------------------------------------------------------------------------


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """Instructions (keyword, arguments) per stage, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text("utf-8"))
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        if keyword.upper() == "FROM":
            stages.append([])
        assert stages, f"instruction before FROM: {line}"
        stages[-1].append((keyword.upper(), " ".join(arguments.split())))
    return stages


STAGES = dockerfile_stages()
FINAL = STAGES[-1]


def _args(stage: list[tuple[str, str]], keyword: str) -> list[str]:
    return [arguments for k, arguments in stage if k == keyword]


def test_the_dockerfile_is_multi_stage_with_pinned_bases() -> None:
    assert len(STAGES) >= 2
    bases = [_args(stage, "FROM")[0].split()[0] for stage in STAGES]
    for base in bases:
        assert image_is_pinned(base), f"FROM {base} is not pinned"
    assert len(set(bases)) == 1 and "slim" in bases[0]
    # the alert receiver runs on the same base (one pull)
    assert SERVICES["alert-receiver"]["image"].endswith(f":-{bases[0]}}}")


def test_the_final_stage_runs_as_a_non_root_user() -> None:
    users = _args(FINAL, "USER")
    assert users, "the final stage sets USER"
    assert users[-1].split(":")[0] not in ("root", "0")
    keywords = [k for k, _ in FINAL]
    assert keywords.index("USER") < keywords.index("ENTRYPOINT")
    assert not [a for k, a in FINAL[keywords.index("USER") :] if k == "RUN"], "nothing runs as root after USER"


def test_the_final_stage_has_no_build_tools() -> None:
    forbidden = re.compile(r"\b(gcc|g\+\+|cc|clang|make|build-essential|apt-get install|apk add|pip install)\b")
    for run in _args(FINAL, "RUN"):
        assert not forbidden.search(run), f"final stage: {run}"
    copies = _args(FINAL, "COPY")
    assert copies == ["--from=builder /opt/venv /opt/venv"], "the final stage takes only the venv"
    assert any("build-essential" in run for run in _args(STAGES[0], "RUN")), "the builder has the compilers"


def test_the_image_installs_the_package_and_the_model_at_build_time() -> None:
    runs = " ".join(_args(STAGES[0], "RUN"))
    assert re.search(r"pip install \.(\s|$)", runs), "install non-editable (pip install .)"
    assert "-e " not in runs and "spacy download" not in runs
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    assert any(d.startswith("en-core-web-sm") for d in dependencies), "the spaCy model is a pip dependency"
    assert "wirewatch process" in runs, "the build codes the sample corpus with the installed package"


def test_the_healthcheck_asks_readyz() -> None:
    checks = _args(FINAL, "HEALTHCHECK")
    assert len(checks) == 1
    assert "/readyz" in checks[0] and "127.0.0.1" in checks[0]
    assert "curl" not in checks[0] and "wget" not in checks[0], "slim has neither"


def test_the_image_runs_the_worker_on_its_web_port() -> None:
    env = " ".join(_args(FINAL, "ENV"))
    assert "WIREWATCH_WEB_HOST=0.0.0.0" in env
    assert "WIREWATCH_DATA_DIR=/var/lib/wirewatch" in env
    for name in re.findall(r"\b(WIREWATCH_[A-Z_]+)=", env):
        assert name.removeprefix("WIREWATCH_").lower() in FIELDS
    assert _args(FINAL, "EXPOSE") == [str(Settings.model_fields["web_port"].default)]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert _args(FINAL, "ENTRYPOINT") == ['["wirewatch"]'] and "wirewatch" in scripts
    assert _args(FINAL, "CMD") == ['["worker"]'] and "worker" in cli_main.commands


def test_the_topics_service_runs_the_cli() -> None:
    """`wirewatch topics create`, through the image's entrypoint, with options the command has."""
    topics = SERVICES["topics"]
    assert "entrypoint" not in topics, "the image's ENTRYPOINT is wirewatch"
    group, name, *options = topics["command"]
    command = cli_main.commands[group].commands[name]  # type: ignore[attr-defined]
    known = {opt for param in command.params for opt in param.opts}
    assert [o for o in options if o.startswith("--") and o not in known] == []
    assert (group, name) == ("topics", "create") and "--wait" in options


def test_the_build_context_lets_through_what_the_dockerfile_copies() -> None:
    """.dockerignore is an allowlist: every COPY source exists and is re-included."""
    allowed = {line[1:] for line in DOCKERIGNORE.read_text("utf-8").splitlines() if line.startswith("!")}
    assert "*" in DOCKERIGNORE.read_text("utf-8").splitlines()
    for stage in STAGES:
        for arguments in _args(stage, "COPY"):
            if arguments.startswith("--from"):
                continue
            *sources, _target = arguments.split()
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: missing"
                assert source in allowed or source.rstrip("/") in allowed, f"COPY {source}: excluded by .dockerignore"


def test_the_installed_package_carries_every_data_file() -> None:
    """The image installs non-editable: a file not matched by package-data would be missing there."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    patterns = config["package-data"]["*"]
    for package in config["packages"]["find"]["include"]:
        for path in (ROOT / package.rstrip("*")).rglob("*"):
            if path.is_file() and path.suffix not in (".py", ".pyc"):
                assert any(fnmatch(path.name, p) for p in patterns), f"{path.relative_to(ROOT)} is not package data"


def test_readme_tells_how_to_run_the_containers() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "## Running it for real (containers)" in readme
    for command in (
        "docker compose -f docker/compose.yaml up",
        "--scale worker=3",
        "--env-file docker/kafka-3.env",
        "--profile ui",
        "docker build -f docker/Dockerfile",
    ):
        assert command in readme, f"README: {command}"

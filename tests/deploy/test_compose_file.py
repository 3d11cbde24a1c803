"""docker-compose.yml describes the production stack as DESIGN.md says (read as compose reads it; its
commands are run natively by test_production_stack.py), and README's production section gives the
same commands."""

import re

import pytest
from django.conf import settings

from tests.deploy import compose, stack

SECRETS = ("SECRET_KEY", "POSTGRES_PASSWORD", "REDIS_PASSWORD", "OBJECT_STORE_ACCESS_KEY", "OBJECT_STORE_SECRET_KEY")
PUBLIC_NAMES = ("SITE_HOST", "FILES_HOST")
PORTAL = ("release", "web", "worker", "worker-reports", "beat")


@pytest.fixture(scope="module")
def services():
    return compose.load(stack.compose_environment(SITE_HOST="portail.example.fr", FILES_HOST="fichiers.example.fr"))[
        "services"
    ]


@pytest.mark.parametrize("name", SECRETS + PUBLIC_NAMES)
def test_compose_refuses_to_start_without_each_secret_and_public_name(name):
    env = stack.compose_environment(SITE_HOST="portail.example.fr", FILES_HOST="fichiers.example.fr")
    del env[name]
    with pytest.raises(compose.MissingVariable, match=name):
        compose.load(env)


@pytest.mark.parametrize("name", SECRETS)
def test_no_secret_has_a_default_value(name):
    operators = compose.variables()[name]
    assert not operators & {"-", ":-"}, f"{name} has a default in docker-compose.yml"
    assert ":?" in operators


def test_every_portal_process_waits_for_the_release_job(services):
    assert services["release"]["restart"] == "no"
    assert services["release"]["command"][-2:] == ["release", "--create-bucket"]
    for name in ("web", "worker", "worker-reports", "beat"):
        assert services[name]["depends_on"] == {"release": {"condition": "service_completed_successfully"}}
    for dependency in ("postgres", "redis", "objects"):
        assert services["release"]["depends_on"][dependency] == {"condition": "service_healthy"}
        assert "healthcheck" in services[dependency]


def test_the_web_probe_asks_the_service_health_path_with_the_public_host(services):
    probe = " ".join(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/sante/service/" in probe
    assert "'Host': os.environ['ALLOWED_HOSTS']" in probe


def test_a_tls_proxy_stands_in_front_of_web(services):
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert "443:443" in proxy["ports"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert proxy["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert "ports" not in services["web"]  # reached through the proxy only
    environment = services["web"]["environment"]
    assert environment["TRUSTED_PROXY_COUNT"] == "1"
    assert environment["ALLOWED_HOSTS"] == "portail.example.fr"


def test_files_live_in_the_object_store_signed_for_its_public_name(services):
    environment = services["web"]["environment"]
    assert environment["STORAGE_URL"].startswith("s3+http://portal-test-access:")
    assert environment["STORAGE_URL"].endswith("@objects:9000/portal")
    assert environment["STORAGE_PUBLIC_URL"] == "https://fichiers.example.fr"
    assert "MEDIA_ROOT" not in environment


def test_renders_and_other_tasks_have_their_own_workers(services):
    assert "--queues=reports" in services["worker-reports"]["command"]
    assert "--queues=default" in services["worker"]["command"]
    assert set(settings.CELERY_TASK_QUEUES) == {"default", "reports"}
    assert settings.CELERY_TASK_ROUTES["diagnostics.render_report"] == {"queue": "reports"}


def test_exactly_one_beat(services):
    beats = [name for name, service in services.items() if "beat" in service.get("command", [])]
    assert beats == ["beat"]
    assert services["beat"]["deploy"]["replicas"] == 1


def readme_production_commands():
    text = (stack.ROOT / "README.md").read_text()
    block = re.search(r"<!-- production-commands -->\s*```sh\n(.*?)```", text, re.S)
    assert block, "README.md has no production-commands block"
    commands, continued = [], False
    for line in block.group(1).splitlines():
        skip = continued or line.startswith(("#", "export"))
        continued = line.rstrip().endswith("\\")
        if line.strip() and not skip:
            commands.append(line.strip())
    return commands


def test_readme_gives_the_commands_compose_runs(services):
    expected = []
    for name in PORTAL:
        command = [".venv/bin/python" if part == "python" else part for part in services[name]["command"]]
        if command[0] in ("gunicorn", "celery"):
            command[0] = f".venv/bin/{command[0]}"
        expected.append(" ".join(command))
    assert readme_production_commands()[: len(PORTAL)] == expected

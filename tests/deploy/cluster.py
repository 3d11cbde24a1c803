"""Several hosts on one machine: Linux network namespaces joined by a bridge, each running the
portal's processes with an empty disk of its own, sharing only PostgreSQL, Redis and an S3-compatible
server reached over the bridge (nothing else crosses between hosts).

PostgreSQL and Redis listen on this machine's loopback; small TCP relays on the bridge's address
carry the hosts' connections to them. The object store listens on the bridge itself. Used by
tests/deploy/test_cluster.py (`make cluster-test`) and bench/cluster.py.
"""

import contextlib
import os
import secrets
import selectors
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests import objectstore
from tests.deploy import compose, stack

ROLES = ("web", "worker")


def _ip(*args):
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


def namespaces_available():
    """Why hosts cannot be built here, or None (root and iproute2 are needed)."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    try:
        subprocess.run(["ip", "-V"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return "iproute2 (`ip`) is not installed (scripts/system-deps.sh test installs it)"
    return None


@dataclass
class Network:
    """A bridge with the machine's end at .254 and one namespace per host at .1, .2, …"""

    tag: str = field(default_factory=lambda: secrets.token_hex(2))
    hosts: dict = field(default_factory=dict)

    def __post_init__(self):
        number = int(self.tag, 16)
        self.prefix = f"10.{200 + number % 50}.{number % 250}"
        self.bridge = f"pb{self.tag}"
        self.gateway = f"{self.prefix}.254"

    def __enter__(self):
        _ip("link", "add", self.bridge, "type", "bridge")
        _ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        _ip("link", "set", self.bridge, "up")
        return self

    def add_host(self, name):
        index = len(self.hosts) + 1
        namespace = f"portal-{self.tag}-{name}"
        veth, peer = f"v{self.tag}{index}", f"v{self.tag}{index}b"
        _ip("netns", "add", namespace)
        _ip("link", "add", veth, "type", "veth", "peer", "name", peer)
        _ip("link", "set", peer, "master", self.bridge)
        _ip("link", "set", peer, "up")
        _ip("link", "set", veth, "netns", namespace)
        address = f"{self.prefix}.{index}"
        for args in (
            ("link", "set", "lo", "up"),
            ("addr", "add", f"{address}/24", "dev", veth),
            ("link", "set", veth, "up"),
        ):
            _ip("netns", "exec", namespace, "ip", *args)
        self.hosts[name] = (namespace, address)
        return address

    def prefix_for(self, name):
        """The command prefix that runs a program on host `name`."""
        return ["ip", "netns", "exec", self.hosts[name][0]]

    def address(self, name):
        return self.hosts[name][1]

    def __exit__(self, *exc):
        for namespace, _address in self.hosts.values():
            subprocess.run(["ip", "netns", "pids", namespace], capture_output=True)
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)


class Relay:
    """Accept TCP connections on (host, port) and pipe each one to `target` (a loopback service)."""

    def __init__(self, listen, target):
        self.target = target
        self.server = socket.create_server(listen, reuse_port=False)
        self.server.setblocking(False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.server, selectors.EVENT_READ, None)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopped.is_set():
            for key, _events in self.selector.select(timeout=0.2):
                if key.data is None:
                    client, _ = self.server.accept()
                    try:
                        upstream = socket.create_connection(self.target, timeout=5)
                    except OSError:
                        client.close()
                        continue
                    for one, other in ((client, upstream), (upstream, client)):
                        one.setblocking(False)
                        self.selector.register(one, selectors.EVENT_READ, other)
                    continue
                source, destination = key.fileobj, key.data
                try:
                    data = source.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if data:
                    try:
                        destination.setblocking(True)
                        destination.sendall(data)
                        destination.setblocking(False)
                        continue
                    except OSError:
                        pass
                for sock in (source, destination):
                    with contextlib.suppress(KeyError, ValueError):
                        self.selector.unregister(sock)
                    sock.close()

    def close(self):
        self.stopped.set()
        self.thread.join(timeout=5)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()


@dataclass
class Cluster:
    """The four-host portal of the multi-host test: web1, web2, worker1, worker2 (+ beat on worker2)."""

    network: Network
    processes: stack.Processes
    env: dict
    disks: dict
    database: str

    def host_env(self, name):
        return {**self.env, "MEDIA_ROOT": str(self.disks[name])}

    def run(self, label, host, command):
        return self.processes.run(label, command, self.host_env(host), prefix=self.network.prefix_for(host))

    def start_web(self, host):
        bind = f"{self.network.address(host)}:8000"
        command = stack.service_command(stack_services(self.env)["web"], bind=bind)
        self.processes.start(host, command, self.host_env(host), prefix=self.network.prefix_for(host))
        return f"http://{bind}"

    def start_workers(self, host, *, beat=False):
        services = stack_services(self.env)
        for service in ("worker", "worker-reports"):
            command = [
                part.replace("@%h", f"@{host}") if part.startswith("--hostname=") else part
                for part in stack.service_command(services[service])
            ]
            command = [part if not part.startswith("--concurrency=") else "--concurrency=1" for part in command]
            self.processes.start(
                f"{host}-{service}", command, self.host_env(host), prefix=self.network.prefix_for(host)
            )
        if beat:
            self.processes.start(
                f"{host}-beat",
                stack.service_command(services["beat"]),
                self.host_env(host),
                prefix=self.network.prefix_for(host),
            )

    def kill_workers(self, host):
        """kill -9 of every Celery process of the host (both workers and their pool children)."""
        for service in ("worker", "worker-reports"):
            self.processes.kill(f"{host}-{service}")

    def local_files(self):
        return {host: stack.files_under(disk) for host, disk in self.disks.items()}


_compose_cache = {}


def stack_services(env):
    key = env["SECRET_KEY"]
    if key not in _compose_cache:
        _compose_cache[key] = compose.load(
            {**stack.compose_environment(SITE_HOST="portal.test", FILES_HOST="files.test"), "SECRET_KEY": key}
        )["services"]
    return _compose_cache[key]


@contextlib.contextmanager
def cluster(tmp_dir, database_url, redis_base_url, *, files="object-storage", time_limit=45, visibility=50):
    """A running cluster: network, relays, object store, fresh database, released portal."""
    tmp_dir = Path(tmp_dir)
    processes = stack.Processes(tmp_dir)
    database_parts = urlsplit(database_url)
    redis_parts = urlsplit(redis_base_url)
    broker, cache = stack.redis_url(redis_base_url, 13), stack.redis_url(redis_base_url, 14)
    for url in (broker, cache):
        stack.flush_redis(url)
    base = database_parts._replace(path="/postgres").geturl()
    with Network() as network, stack.fresh_database(base) as database:
        hosts = ("web1", "web2", "worker1", "worker2")
        for host in hosts:
            network.add_host(host)
        relays = [
            Relay((network.gateway, 5432), (database_parts.hostname, database_parts.port or 5432)),
            Relay((network.gateway, 6379), (redis_parts.hostname, redis_parts.port or 6379)),
        ]
        over_bridge = {
            "DATABASE_URL": urlsplit(database)
            ._replace(netloc=f"{database_parts.username}@{network.gateway}:5432")
            .geturl(),
            "REDIS_URL": urlsplit(broker)._replace(netloc=f"{network.gateway}:6379").geturl(),
            "CACHE_URL": urlsplit(cache)._replace(netloc=f"{network.gateway}:6379").geturl(),
        }
        with objectstore.running_server(host=network.gateway) as (s3_host, s3_port):
            secret = secrets.token_urlsafe(50)
            app = stack_services({"SECRET_KEY": secret})["web"]["environment"]
            env = {
                **stack.inherited_environment("DATABASE_", "REDIS_", "CACHE_", "STORAGE_"),
                **app,
                **over_bridge,
                "SECRET_KEY": secret,
                "ALLOWED_HOSTS": ",".join(network.address(host) for host in hosts) + ",portal.test",
                "STATIC_ROOT": str(tmp_dir / "static"),
                "CELERY_TASK_TIME_LIMIT": str(time_limit),
                "CELERY_TASK_SOFT_TIME_LIMIT": str(time_limit - 5),
                "CELERY_VISIBILITY_TIMEOUT": str(visibility),
                "HOST_COUNT": str(len(hosts)),
                "DJANGO_SETTINGS_MODULE": "portal.settings",
                "PYTHONPATH": str(stack.ROOT),
            }
            if files == "object-storage":
                env["STORAGE_URL"] = objectstore.storage_url(s3_host, s3_port, "cluster")
                env["STORAGE_PUBLIC_URL"] = f"http://{s3_host}:{s3_port}"
            else:  # local disk: to show what breaks (production would refuse HOST_COUNT > 1)
                env.pop("STORAGE_URL", None)
                env.pop("STORAGE_PUBLIC_URL", None)
                env["HOST_COUNT"] = "1"
            disks = {host: tmp_dir / f"disk-{host}" for host in hosts}
            result = Cluster(network, processes, env, disks, database)
            try:
                code, output = result.run("release", "web1", stack.service_command(stack_services(env)["release"]))
                assert code == 0, output[-4000:]
                yield result
            finally:
                processes.stop_all()
                for relay in relays:
                    relay.close()
                for url in (broker, cache):
                    stack.flush_redis(url)


def timed(label, timings):
    """Context manager recording the seconds a block took under `label`."""

    @contextlib.contextmanager
    def block():
        started = time.monotonic()
        yield
        timings[label] = time.monotonic() - started

    return block()

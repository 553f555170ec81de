"""Issue 14, part 4, "Scale-out proved": the load run's portal as it runs on several servers.

``ScaleOut`` starts, in a temporary directory, and stops again:

* a Redis server on a free port (``redis-server --save ''``: nothing written to disk), the
  app servers' one cache (``REDIS_URL``);
* moto's S3 server on a free port with one bucket, the app servers' one media store
  (``MEDIA_STORAGE=s3`` and the ``AWS_*`` variables; django-storages as in production);
* two gunicorn app servers on their own ports, with the same settings (one ``SECRET_KEY``,
  ``DATABASE_URL``, ``REDIS_URL``, ``PROXY_COUNT=1``);
* Debian's nginx in front of them (round robin, appending the client to
  ``X-Forwarded-For``), whose address is the one the users hit;
* one task worker (``manage.py db_worker``) when the portal has that command.

``environment()`` is what the bench's own process needs too (it migrates and loads the demo
into the same database and media store); ``start_portal()`` starts the servers, the proxy and
the worker. The checks that need two servers are here as well: a change made through one
server read at once through the other, and a stored PDF downloaded from both.

nginx and Redis come from Debian: when missing and running as root with apt-get, they are
installed (``nginx-light``, ``redis-server``); otherwise the run says what to install.
"""

import hashlib
import html
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVERS = 2
WORKERS, THREADS = 2, 4  # per app server (two servers: four worker processes on 2 CPUs)
# Seconds gunicorn keeps an idle connection open: with its default of 2 s, a connection it
# closes just as the other side reuses it is lost without an answer (seen here: status 0).
KEEP_ALIVE = 5
# nginx drops an idle upstream connection before gunicorn does: a connection gunicorn closes
# just as nginx reuses it would be a 502.
UPSTREAM_KEEPALIVE = 2
BUCKET = "cluster-portal-bench-media"
REGION = "us-east-1"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

NGINX_CONF = """\
{user}daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format upstream '$upstream_addr $status';
    access_log {dir}/access.log upstream;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream portal {{
{servers}
        keepalive 32;
        keepalive_timeout {keepalive}s;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 25m;
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-ID $request_id;
            # A failed request is an error of the run, not retried on the other server.
            proxy_next_upstream off;
            proxy_read_timeout 90s;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _program(name: str, package: str) -> str:
    """The path of a Debian program, installed with apt-get when missing and allowed."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if found:
        return found
    apt = shutil.which("apt-get")
    if os.geteuid() == 0 and apt:
        subprocess.run(
            [apt, "install", "-y", "--no-install-recommends", package],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
        if found:
            return found
    raise RuntimeError(f"the load run needs {name}: install Debian's {package} (apt-get)")


def _wait_for_port(port: int, process: subprocess.Popen, name: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{name} did not listen on port {port} within {seconds:.0f} s")


def _wait_for_url(url: str, process: subprocess.Popen, name: str, seconds: float = 60):
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} ({name}) did not answer within {seconds:.0f} s")


def log_errors(log: Path) -> list[str]:
    """ERROR and CRITICAL lines of a gunicorn, worker (JSON log) or nginx error log."""
    import json

    errors = []
    for line in log.read_text(errors="replace").splitlines():
        try:
            level = json.loads(line).get("level", "")
        except (ValueError, AttributeError):
            markers = ("[ERROR]", "[CRITICAL]", "[error]", "[crit]", "[alert]", "[emerg]")
            level = "ERROR" if any(marker in line for marker in markers) else ""
        if level in ("ERROR", "CRITICAL"):
            errors.append(f"{log.name}: {line[:300]}")
    return errors


class ScaleOut:
    """The processes of a scaled-out portal, in ``directory``; a context manager that stops
    whatever it started."""

    def __init__(self, directory: Path):
        self.dir = directory
        self.processes: list[tuple[str, subprocess.Popen, Path]] = []
        self.servers: list[str] = []  # each app server's own address
        self.proxy = ""  # nginx's address: the one the users hit
        self.redis_port = 0
        self.s3_endpoint = ""
        self.worker = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def _start(self, name: str, args: list[str], env: dict | None = None) -> subprocess.Popen:
        log = self.dir / f"{name}.log"
        with log.open("w") as handle:
            process = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
            )
        self.processes.append((name, process, log))
        return process

    def stop(self) -> None:
        """Stop everything started, the last started first."""
        while self.processes:
            _name, process, _log = self.processes.pop()
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def exited(self) -> list[str]:
        """The processes that have stopped by themselves."""
        return [
            f"{n} (exit {p.returncode})" for n, p, _log in self.processes if p.poll() is not None
        ]

    def logs(self) -> list[Path]:
        return [log for _name, _process, log in self.processes]

    # --- shared services -------------------------------------------------------------------

    def start_services(self) -> dict:
        """Redis and the S3 store; the environment that points the portal at them."""
        self.redis_port = free_port()
        redis = self._start(
            "redis",
            [
                _program("redis-server", "redis-server"),
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
        )
        s3_port = free_port()
        s3 = self._start(
            "moto-s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)]
        )
        _wait_for_port(self.redis_port, redis, "redis-server")
        _wait_for_port(s3_port, s3, "moto server")
        self.s3_endpoint = f"http://127.0.0.1:{s3_port}"
        self.s3().create_bucket(Bucket=BUCKET)
        return {
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.s3_endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench-secret",
            # One nginx in front of the app servers.
            "PROXY_COUNT": "1",
        }

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_endpoint,
            region_name=REGION,
            aws_access_key_id="bench",
            aws_secret_access_key="bench-secret",  # noqa: S106 (moto accepts any)
        )

    def s3_object(self, key: str) -> bytes:
        return self.s3().get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def s3_count(self) -> int:
        return self.s3().list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)

    def redis_info(self) -> dict:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.redis_port)
        stats = client.info("stats")
        return {
            "keys": client.dbsize(),
            "hits": stats.get("keyspace_hits", 0),
            "misses": stats.get("keyspace_misses", 0),
        }

    # --- the portal ------------------------------------------------------------------------

    def start_portal(self, env: dict) -> None:
        """The app servers, nginx in front of them, and the task worker if there is one."""
        servers = []
        for number in range(1, SERVERS + 1):
            port = free_port()
            process = self._start(
                f"gunicorn-{number}",
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "cluster_portal.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(WORKERS),
                    "--threads",
                    str(THREADS),
                    "--timeout",
                    "60",
                    "--keep-alive",
                    str(KEEP_ALIVE),
                ],
                env,
            )
            servers.append((port, process))
        self.servers = [f"http://127.0.0.1:{port}" for port, _process in servers]

        proxy_dir = self.dir / "nginx"
        proxy_dir.mkdir()
        port = free_port()
        conf = proxy_dir / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                # Run as root (a container), its workers stay root: they write in this folder.
                user="user root;\n" if os.geteuid() == 0 else "",
                dir=proxy_dir,
                port=port,
                keepalive=UPSTREAM_KEEPALIVE,
                servers="\n".join(f"        server 127.0.0.1:{p};" for p, _process in servers),
            )
        )
        nginx = self._start(
            "nginx", [_program("nginx", "nginx-light"), "-p", str(proxy_dir), "-c", str(conf)]
        )
        self.processes[-1] = ("nginx", nginx, proxy_dir / "error.log")
        self.proxy = f"http://127.0.0.1:{port}"

        for (_port, process), url in zip(servers, self.servers, strict=True):
            _wait_for_url(f"{url}/healthz", process, url)
        _wait_for_url(f"{self.proxy}/healthz", nginx, "nginx")

        commands = subprocess.run(
            [sys.executable, "manage.py", "help", "--commands"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        if "db_worker" in commands:
            self._start("db-worker", [sys.executable, "manage.py", "db_worker"], env)
            self.worker = True

    def upstream_counts(self) -> tuple[Counter, int]:
        """Requests nginx passed to each app server, and how many answered 5xx."""
        by_server, server_errors = Counter(), 0
        for line in (self.dir / "nginx" / "access.log").read_text().splitlines():
            upstream, _space, status = line.rpartition(" ")
            by_server[upstream] += 1
            server_errors += status.startswith("5")
        return by_server, server_errors


# --- checks across servers -------------------------------------------------------------------


def login(base: str, username: str, password: str):
    """A ``requests`` session logged in through ``base``'s login form."""
    import requests

    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    answer = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": TOKEN.search(page.text).group(1),
        },
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"login of {username} at {base} answered {answer.status_code}")
    return session


def change_on_one_read_on_other(stack: ScaleOut, config: dict) -> dict:
    """Edit the cluster year's motto through server A's form; read it through B at once.

    The secretariat logs in on A; the same session cookie is then good on B and through
    the proxy (sessions live in the database). B's page is read once before the change, so
    that anything B kept for itself would be in place.
    """
    server_a, server_b = stack.servers[0], stack.servers[1]
    session = login(server_a, config["secretariat"][0], config["password"])
    page = config["year_url"]
    motto = f"Đoàn kết, sáng tạo — đo tải {secrets.token_hex(4)}"
    shown = html.escape(motto)
    before = session.get(f"{server_b}{page}", timeout=30)
    form = session.get(f"{server_a}{page}edit/", timeout=30)
    saved = session.post(
        f"{server_a}{page}edit/",
        data={
            "theme": config["theme"],
            "motto": motto,
            "phase": config["phase"],
            "csrfmiddlewaretoken": TOKEN.search(form.text).group(1),
        },
        allow_redirects=False,
        timeout=30,
    )
    saved_at = time.perf_counter()
    after = session.get(f"{server_b}{page}", timeout=30)
    read_after = time.perf_counter() - saved_at
    through_proxy = [session.get(f"{stack.proxy}{page}", timeout=30) for _ in range(SERVERS * 2)]
    return {
        "before_on_b": before.status_code == 200 and shown not in before.text,
        "saved_on_a": saved.status_code == 302,
        "shown_on_b": after.status_code == 200 and shown in after.text,
        "shown_through_proxy": all(r.status_code == 200 and shown in r.text for r in through_proxy),
        "read_after_ms": read_after * 1000,
    }


def pdf_on_every_server(stack: ScaleOut, config: dict, document: dict) -> dict:
    """Download the issued PDF from each app server and from the store; compare the bytes."""
    session = login(stack.proxy, config["secretariat"][0], config["password"])
    digests = {}
    for number, base in enumerate(stack.servers, start=1):
        answer = session.get(f"{base}{config['pdf_url']}", timeout=60)
        pdf = answer.status_code == 200 and answer.headers.get("Content-Type") == "application/pdf"
        digests[f"server {number}"] = hashlib.sha256(answer.content).hexdigest() if pdf else ""
    digests["S3 object"] = hashlib.sha256(stack.s3_object(document["name"])).hexdigest()
    return {
        "digests": digests,
        "recorded": document["sha256"],
        "identical": set(digests.values()) == {document["sha256"]},
    }

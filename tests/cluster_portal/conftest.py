"""Fixtures for the shared package's tests: the audit trail and the seal are exercised on a
covenant, so the covenant fixtures of ``tests/agreements`` serve here too."""

import pytest

from tests.agreements.conftest import (  # noqa: F401 (fixtures)
    covenant,
    draft,
    legal_basis,
    signatories,
    signed_covenant,
)


@pytest.fixture
def redis_url(tmp_path):
    """A Redis server for this test: its own ``redis-server`` on a Unix socket when Redis is
    installed (nothing shared with other users of the machine), otherwise the one answering
    on 127.0.0.1:6379. Neither: the test fails and says what to install (``.ci/run``
    installs Debian's redis-server)."""
    import shutil
    import socket
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        try:
            with socket.create_connection(("127.0.0.1", 6379), timeout=1):
                pass
        except OSError:
            pytest.fail("No Redis: install redis-server (Debian: apt-get install redis-server).")
        yield "redis://127.0.0.1:6379/15"
        return
    path = tmp_path / "redis.sock"
    server = subprocess.Popen(
        [binary, "--port", "0", "--unixsocket", str(path), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not path.exists():
            assert server.poll() is None, "redis-server stopped at once"
            assert time.monotonic() < deadline, "redis-server did not open its socket"
            time.sleep(0.05)
        yield f"unix://{path}"
    finally:
        server.terminate()
        server.wait(timeout=10)

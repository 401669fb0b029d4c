"""Real server processes for the operations tests: started on a free port, asked over plain HTTP, stopped."""

import http.client
import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [str(REPO / ".venv/bin/python"), "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def running(command: list[str], env: dict, log: Path):
    """The server `command` starts on a free port, once it answers /healthz; stopped at the end."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 (make or our own gunicorn)
            command,
            cwd=REPO,
            env={**env, "PORT": str(port)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: make, the shell and gunicorn stop together
        )
    try:
        deadline = time.monotonic() + 180  # make serve collects static files and runs the deploy checks first
        while time.monotonic() < deadline:
            assert process.poll() is None, f"{command} ended with {process.returncode}:\n{log.read_text()}"
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"{command} did not answer within 180 s:\n{log.read_text()}")
        yield port
    finally:
        os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # an extraction past its deadline may still be running
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# What the proxy in front says of a browser's HTTPS request; this test is a peer in FORWARDED_ALLOW_IPS.
PROXIED = {"X-Forwarded-Proto": "https"}


def get(port: int, path: str, headers: dict | None = None, timeout: float = 5) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={**PROXIED, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()

"""The server starts the way `make lab` starts it, and serves JupyterLab and nbgrader's formgrader (issue 2)."""
from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = free_port(), "course-test-token"
    log = (tmp_path_factory.mktemp("lab") / "lab.log").open("w")
    server = subprocess.Popen(["bash", str(REPO / "scripts" / "lab.sh"), f"--port={port}", "--no-browser",
                               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"],
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode("utf-8", "replace")


def test_lab_answers_200(lab):
    base, token = lab
    status, body = get(f"{base}/lab?token={token}")
    assert status == 200 and "JupyterLab" in body


def test_formgrader_answers_200(lab):
    base, token = lab
    status, body = get(f"{base}/formgrader/manage_assignments?token={token}")
    assert status == 200 and "<title>nbgrader formgrade</title>" in body


def test_nbgrader_labextensions_are_installed(lab):
    base, token = lab
    status, body = get(f"{base}/lab?token={token}")  # the page config lists the extensions Lab loads
    assert status == 200 and '"name": "@jupyter/nbgrader"' in body.replace('\\"', '"')

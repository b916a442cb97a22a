"""`comptoir serve` starts on the embedded defaults and answers /healthz."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

COMPTOIR = str(Path(sys.executable).with_name("comptoir"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_healthz_and_says_where(tmp_path):
    port, smtp_port = free_port(), free_port()
    env = {**os.environ, "COMPTOIR_HTTP_LISTEN": f"127.0.0.1:{port}", "COMPTOIR_SMTP_LISTEN": f"127.0.0.1:{smtp_port}",
           "COMPTOIR_MAILDIR": str(tmp_path / "mail"),
           "COMPTOIR_DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'comptoir.db'}"}
    process = subprocess.Popen([COMPTOIR, "serve"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        body = None
        for _ in range(100):
            try:  # a 503 until every listener is up
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = response.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert body == '{"status": "ok"}'
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            ready = json.loads(response.read())
        assert ready == {"status": "ok", "checks": {"database": "up", "smtp": "up"}}
    finally:
        process.terminate()
        out, err = process.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}" in out and f"SMTP on 127.0.0.1:{smtp_port}" in out
    assert "Slack is off" in out
    # the banner is not wrapped when the output is not a terminal: one line per fact
    assert any(line.startswith("Talk to it: comptoir chat --as") and line.endswith("stops the service)")
               for line in out.splitlines())
    assert process.returncode == 0, err


def test_serve_explains_a_busy_port(tmp_path):
    import socket as sockets

    busy = sockets.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    taken = busy.getsockname()[1]
    env = {**os.environ, "COMPTOIR_HTTP_LISTEN": f"127.0.0.1:{free_port()}", "COMPTOIR_SMTP_LISTEN": f"127.0.0.1:{taken}",
           "COMPTOIR_DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'comptoir.db'}"}
    try:
        result = subprocess.run([COMPTOIR, "serve"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    finally:
        busy.close()
    assert result.returncode != 0
    assert f"127.0.0.1:{taken}" in result.stderr and "Traceback" not in result.stderr

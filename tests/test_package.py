"""The installable package: build the wheel, install it in a fresh virtualenv, serve it, read pages.

The wheel is built from a copy of the tracked files (no compiled ``.mo``, no ``build/``), so what
the test reads is what ``pip install`` of a clean checkout gives. To stay fast and offline the new
virtualenv gets the wheel alone (``--no-deps``) and reaches the dependencies already installed in
the test virtualenv through a ``.pth`` line; the test virtualenv's editable install of AX Bridge is
not visible there (its finder hook is not run), and the test checks that ``marketplace`` is
imported from the new virtualenv. Commands run with the working directory outside the checkout.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path

import pytest

from tests.conftest import private_postgres_database

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".git", ".venv", "build", "dist", "instance", "__pycache__", ".pytest_cache", ".hypothesis"}


def source_files() -> list[Path]:
    """The checkout's tracked files (git), or every file outside build output when git is missing."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
        return [Path(name) for name in listed.decode().split("\0") if name and (ROOT / name).is_file()]
    return [path.relative_to(ROOT) for path in ROOT.rglob("*")
            if path.is_file() and not SKIP & set(path.relative_to(ROOT).parts) and path.suffix != ".mo"]


def build_wheel(tmp: Path) -> Path:
    source = tmp / "source"
    for name in source_files():
        if name.suffix == ".mo":  # build output: the wheel must compile its own
            continue
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    if not (source / "setup.py").exists():
        shutil.copy2(ROOT / "setup.py", source / "setup.py")
    dist = tmp / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "-q", "-w", str(dist), str(source)], check=True, cwd=tmp)
    (wheel,) = dist.glob("axbridge-*.whl")
    return wheel


def fresh_venv(tmp: Path, wheel: Path) -> Path:
    target = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # The dependencies, from the test virtualenv (a plain path line: its own .pth hooks do not run).
    Path(purelib, "axbridge_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "-q", str(wheel)], check=True, cwd=tmp)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_up(url: str, server: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    """Each worker renders two agreements at start (the PDF warm-up): on a busy machine that takes a while."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=2).close()
            return
        time.sleep(0.3)
    raise AssertionError(f"the server did not answer {url} within {seconds} s")


@pytest.fixture
def database_for_wheel(tmp_path):
    url = os.environ.get("AXBRIDGE_TEST_DATABASE_URL")
    if url:
        with private_postgres_database(url) as private:
            yield private
    else:
        yield f"sqlite:///{tmp_path / 'installed.sqlite3'}"


def test_the_wheel_installs_and_serves_the_korean_pages(tmp_path, database_for_wheel):
    wheel = build_wheel(tmp_path)
    target = fresh_venv(tmp_path, wheel)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("AXBRIDGE_", "PYTHON", "VIRTUAL_ENV", "FLASK_"))}
    env.update({"AXBRIDGE_ENV": "production", "AXBRIDGE_DATABASE_URL": database_for_wheel,
                "AXBRIDGE_SECRET_KEY": "wheel-test-secret-0123456789abcdef0123456789"})
    axbridge = str(target / "bin" / "axbridge")

    imported = subprocess.run([str(target / "bin" / "python"), "-c", "import marketplace; print(marketplace.__file__)"],
                              cwd=outside, env=env, check=True, capture_output=True, text=True).stdout
    assert Path(imported.strip()).is_relative_to(target), imported

    subprocess.run([axbridge, "db", "upgrade"], cwd=outside, env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen([axbridge, "serve", "--port", str(port), "--workers", "1"], cwd=outside, env=env,
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", server, log)
        status, home = get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert '<html lang="ko"' in home
        assert "회원가입" in home or "시작하기" in home, home[:2000]  # from the compiled Korean catalogue

        status, missing = get(f"http://127.0.0.1:{port}/no-such-page")
        assert status == 404
        assert "페이지를 찾을 수 없습니다" in missing  # errors/error.html, translated
        assert "홈으로 돌아가기" in missing
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

"""`kg` commands run in processes forked from one that has already imported tmkg.

A test's `kg` command (`tests.conftest.run_kg`) used to start a new Python each time: ~0.5-1.5
s of imports (tmkg, rdflib, pypinyin, phonemizer and numpy, pyshacl) before the command did
anything, ~45% of the default suite's CPU (py-spy, 2026-12-07). A fork server (the pattern of
`multiprocessing`'s ``forkserver`` start method) pays them once a test process: it imports the
modules and nothing else, then forks a child per command. The child is a process of its own,
as `kg` is: its own descriptors 0, 1 and 2 (the caller's /dev/null and pipes), its own
environment and working folder, exit status, at-exit handlers and flush of its streams; what
it computes and caches (the user's cache folder, dictionaries, shapes) it computes anew, since
the server only imported modules.

What differs from a new `kg` executable: what Python reads when it starts (``PYTHON*``
variables, the locale: `needs_new_interpreter` sends such commands to a real executable), the
hash seed (one per server, not one per command), and the import of tmkg itself (a fault
there shows in every test, not in one). ``TMKG_TESTS_EXEC=1`` makes every command a new
executable again (`tests.conftest.run_kg`).

The protocol, over a Unix socket pair: the caller sends one JSON request (arguments,
environment, working folder) with three descriptors (``socket.send_fds``); the server forks,
answers ``{"pid": n}``, waits for the child and answers ``{"status": s}`` (``os.waitstatus_to_exitcode``).
One request at a time per server.
"""

from __future__ import annotations

import atexit
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path

PRELOADED = (
    "kg.cli.main",
    "kg.analysis.service",
    "kg.analysis.similarity",
    "kg.analysis.pronunciation",
    "kg.report",
    "pypinyin",
    "phonemizer.backend",
    "pyshacl",
    "networkx",
)
"""What the server imports before it forks (modules only: no function of tmkg runs)."""

_STARTUP_VARIABLES = ("PYTHON", "LC_", "LANG")
"""Environment variables Python reads when it starts: a command given other values of these
than the server started with needs a new interpreter."""


def needs_new_interpreter(env: Mapping[str, str], started: Mapping[str, str]) -> bool:
    """Whether a command run with `env` would start differently from a server started with
    `started`: a ``PYTHON*`` or locale variable (``LC_*``, ``LANG``) that differs."""
    for key in {*env, *started}:
        if key.startswith(_STARTUP_VARIABLES) and env.get(key) != started.get(key):
            return True
    return False


# ------------------------------------------------------------------ the server (its process)


def _serve(channel: socket.socket) -> None:
    import importlib

    for name in PRELOADED:
        importlib.import_module(name)
    channel.sendall(b'{"ready": true}\n')
    while True:
        message, descriptors, _, _ = socket.recv_fds(channel, 1 << 16, 3)
        if not message:
            return  # the caller closed its end: the test process ended
        while not message.endswith(b"\n"):  # a stream: a long request may come in parts
            message += channel.recv(1 << 16)
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            channel.close()
            _child(request, descriptors)  # never returns
        for descriptor in descriptors:
            os.close(descriptor)
        channel.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        _, status = os.waitpid(pid, 0)
        channel.sendall(json.dumps({"status": os.waitstatus_to_exitcode(status)}).encode() + b"\n")


def _child(request: dict, descriptors: Sequence[int]) -> None:
    """Run `kg` as its console script does (``sys.exit(main())``), then end as the interpreter
    would: at-exit handlers, the streams flushed (status 120 where that fails), no return."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for target, descriptor in enumerate(descriptors):
            os.dup2(descriptor, target)
            os.close(descriptor)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        sys.argv = [request["argv0"], *request["args"]]
        from kg.cli.main import main

        try:
            code = _exit_code(main(request["args"]))
        except SystemExit as exit:
            code = _exit_code(exit.code)
        except BaseException:
            traceback.print_exc()
            code = 1
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                code = 120  # what CPython does when flushing its streams at exit fails
    finally:
        os._exit(code)


def _exit_code(value: object) -> int:
    """What the interpreter makes of ``sys.exit(value)``: None is 0, an int itself, anything
    else printed to standard error and 1."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1


# ------------------------------------------------------------------ the caller (a test process)


class ForkServer:
    """A fork server started on first use, one per test process; `run` runs a command in a
    child of it as `subprocess.run(..., capture_output=True, text=True)` would."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._channel: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self.started_with: dict[str, str] = {}
        """The environment the server started with (`needs_new_interpreter`)."""

    def _start(self) -> socket.socket:
        if self._channel is not None and self._process and self._process.poll() is None:
            return self._channel
        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parent.parent)
        code = (
            "import socket, sys; sys.path.insert(0, sys.argv[1]); "
            "from tests.kg_forkserver import _serve; "
            "_serve(socket.socket(fileno=int(sys.argv[2])))"
        )
        self._process = subprocess.Popen(
            [sys.executable, "-P", "-c", code, root, str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        theirs.close()
        self.started_with = dict(os.environ)
        self._channel = ours
        self._replies = ours.makefile("rb")
        if json.loads(self._replies.readline() or b"{}") != {"ready": True}:
            raise RuntimeError("the kg fork server did not start")
        atexit.register(self.close)
        return ours

    def close(self) -> None:
        """End the server (it exits when its end of the channel reads nothing)."""
        if self._channel is not None:
            self._replies.close()  # the file holds the socket open too
            self._channel.close()
            self._channel = None
        if self._process is not None:
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
            self._process = None

    def run(
        self,
        argv0: str,
        args: Sequence[str],
        env: Mapping[str, str],
        timeout: float,
    ) -> subprocess.CompletedProcess[str] | None:
        """The finished command, or None when another thread is running one (the caller starts
        an executable instead)."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            return self._run(argv0, args, env, timeout)
        finally:
            self._lock.release()

    def _run(
        self, argv0: str, args: Sequence[str], env: Mapping[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        channel = self._start()
        request = {"argv0": argv0, "args": list(args), "env": dict(env), "cwd": os.getcwd()}
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        null = os.open(os.devnull, os.O_RDONLY)
        try:
            message = json.dumps(request).encode() + b"\n"
            sent = socket.send_fds(channel, [message], [null, out_write, err_write])
            channel.sendall(message[sent:])
        finally:
            for descriptor in (null, out_write, err_write):
                os.close(descriptor)
        pid = json.loads(self._replies.readline())["pid"]
        try:
            out, err = _read_both(out_read, err_read, timeout)
        except subprocess.TimeoutExpired:
            os.kill(pid, signal.SIGKILL)
            self._replies.readline()
            raise subprocess.TimeoutExpired([argv0, *args], timeout) from None
        status = json.loads(self._replies.readline())["status"]
        return subprocess.CompletedProcess([argv0, *args], status, _decoded(out), _decoded(err))


def _read_both(out: int, err: int, timeout: float) -> tuple[bytes, bytes]:
    """Both pipes read to their end (closing them), as `subprocess.communicate` does."""
    chunks: dict[int, list[bytes]] = {out: [], err: []}
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        for descriptor in chunks:
            selector.register(descriptor, selectors.EVENT_READ)
        open_count = 2
        try:
            while open_count:
                ready = selector.select(max(0.0, deadline - time.monotonic()))
                if not ready:
                    raise subprocess.TimeoutExpired("kg", timeout)
                for key, _ in ready:
                    data = os.read(key.fd, 1 << 16)
                    if data:
                        chunks[key.fd].append(data)
                    else:
                        selector.unregister(key.fd)
                        open_count -= 1
        finally:
            os.close(out)
            os.close(err)
    return b"".join(chunks[out]), b"".join(chunks[err])


def _decoded(data: bytes) -> str:
    """As `subprocess.run(text=True)` decodes (the locale's encoding, universal newlines)."""
    import io
    import locale

    encoding = locale.getpreferredencoding(False)
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding).read()

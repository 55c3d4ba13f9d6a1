"""`kg` commands run in processes forked from one that has already imported tmkg.

A test's `kg` command (`tests.conftest.run_kg`, the servers of `tests.conftest.ServerProcess`)
used to start a new Python each time: ~0.5-1.5 s of imports (tmkg, rdflib, pypinyin,
phonemizer and numpy, pyshacl; strawberry and uvicorn for `kg serve`) before the command did
anything, ~45% of the default suite's CPU (py-spy, 2026-12-07). A fork server (the pattern of
`multiprocessing`'s ``forkserver`` start method) pays them once a test process: it imports the
modules and nothing else, then forks a child per command. The child is a process of its own,
as `kg` is: its own descriptors 0, 1 and 2 (the caller's), its own environment and working
folder, exit status, signals, at-exit handlers and flush of its streams; what it computes and
caches (the user's cache folder, dictionaries, shapes) it computes anew, since the server only
imported modules.

What differs from a new `kg` executable: what Python reads when it starts (``PYTHON*``
variables, the locale: `needs_new_interpreter` sends such commands to a real executable), the
hash seed (one per server, not one per command), the child's parent (the server, not the test
process), and the import of tmkg itself (a fault there shows in every test, not in one).
``TMKG_TESTS_EXEC=1`` makes every command a new executable again (`tests.conftest`).

The protocol, over a Unix socket pair, one JSON object a line: the caller sends a request
(arguments, environment, working folder) with three descriptors (``socket.send_fds``) and
waits for ``{"pid": n, "child": c}`` before it sends another; the server forks, answers, and
when a child ends sends ``{"exited": c, "status": s}`` (``os.waitstatus_to_exitcode``: -9 for
SIGKILL). Children are told apart by ``c``, a count the server keeps: a pid is used again by a
later process once the first has ended (a test process starts thousands).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import io
import json
import locale
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
from typing import IO, Any

PRELOADED = (
    "kg.cli.main",
    "kg.analysis.service",
    "kg.analysis.similarity",
    "kg.analysis.pronunciation",
    "kg.api.app",
    "kg.report",
    "pypinyin",
    "phonemizer.backend",
    "pyshacl",
    "networkx",
    "uvicorn",
    "wcwidth",
)
"""What the server imports before it forks (modules only: no function of tmkg runs)."""

_STARTUP_VARIABLES = ("PYTHON", "LC_", "LANG", "TZ", "LD_", "MALLOC_", "OMP_", "OPENBLAS_")
"""Environment variables read when Python or a library it loads starts (the locale, the time
zone, the C library, OpenBLAS's threads): a command given other values of these than the server
started with needs a new interpreter (helper-134: ``TZ`` was the server's)."""


def needs_new_interpreter(env: Mapping[str, str], started: Mapping[str, str]) -> bool:
    """Whether a command run with `env` would start differently from a server started with
    `started`: one of `_STARTUP_VARIABLES` that differs."""
    for key in {*env, *started}:
        if key.startswith(_STARTUP_VARIABLES) and env.get(key) != started.get(key):
            return True
    return False


# ------------------------------------------------------------------ the server (its process)


def _serve(channel: socket.socket) -> None:
    import importlib

    for name in PRELOADED:
        importlib.import_module(name)
    gc.freeze()  # what was imported is not walked by each child's collections
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the selector (the wakeup pipe)
    channel.sendall(b'{"ready": true}\n')
    selector = selectors.DefaultSelector()
    selector.register(channel, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    children: dict[int, int] = {}  # pid -> the child's count
    made = 0
    while True:
        for key, _ in selector.select():
            if key.fileobj is channel:
                message, descriptors, _, _ = socket.recv_fds(channel, 1 << 16, 3)
                if not message:
                    return  # the caller closed its end: the test process ended
                while not message.endswith(b"\n"):  # a stream: a long request comes in parts
                    message += channel.recv(1 << 16)
                pid = os.fork()
                if pid == 0:
                    signal.set_wakeup_fd(-1)
                    for descriptor in (wake_read, wake_write, channel.fileno()):
                        os.close(descriptor)
                    _child(json.loads(message), descriptors)  # never returns
                for descriptor in descriptors:
                    os.close(descriptor)
                made += 1
                children[pid] = made
                channel.sendall(json.dumps({"pid": pid, "child": made}).encode() + b"\n")
            else:
                with contextlib.suppress(BlockingIOError):
                    os.read(wake_read, 4096)
            _reap(channel, children)


def _reap(channel: socket.socket, children: dict[int, int]) -> None:
    """Tell the caller of every child that ended (by its count in `children`)."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        code = os.waitstatus_to_exitcode(status)
        message = {"exited": children.pop(pid), "status": code}
        channel.sendall(json.dumps(message).encode() + b"\n")


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
        os.umask(request["umask"])  # the caller's, as a process it started would have
        os.sched_setaffinity(0, request["affinity"])
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
    """A fork server started on first use, one per test process. `popen` starts a command as
    `subprocess.Popen` would (a `ForkedProcess`); `run` as ``subprocess.run(...,
    capture_output=True, text=True)`` would."""

    def __init__(self) -> None:
        self._sending = threading.Lock()  # one request at a time, until its pid is back
        self._state = threading.Condition()
        self._channel: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._started: list[tuple[int, int]] = []  # (pid, child) answering requests, in order
        self._exited: dict[tuple[int, int], int] = {}  # (server, child) -> exit status
        self._server = 0  # which server started (a child's count is its server's)
        self.started_with: dict[str, str] = {}
        """The environment the server started with (`needs_new_interpreter`)."""
        atexit.register(self.close)  # once: a server started again is closed the same way

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
        )
        theirs.close()
        self._server += 1
        self.started_with = dict(os.environ)
        replies = ours.makefile("rb")
        if json.loads(replies.readline() or b"{}") != {"ready": True}:
            raise RuntimeError("the kg fork server did not start")
        self._channel = ours
        threading.Thread(
            target=self._listen, args=(ours, replies, self._server), daemon=True
        ).start()
        return ours

    def _listen(self, channel: socket.socket, replies: IO[bytes], server: int) -> None:
        for line in replies:
            reply = json.loads(line)
            with self._state:
                if "pid" in reply:
                    self._started.append((reply["pid"], reply["child"]))
                else:
                    self._exited[server, reply["exited"]] = reply["status"]
                self._state.notify_all()
        replies.close()
        with self._state:
            if self._channel is channel:  # not a server started since
                self._channel = None
            self._state.notify_all()

    def close(self) -> None:
        """End the server (it exits when its end of the channel reads nothing)."""
        channel, self._channel = self._channel, None
        if channel is not None:
            with contextlib.suppress(OSError):
                channel.shutdown(socket.SHUT_RDWR)
            channel.close()
        if self._process is not None:
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
            self._process = None

    def popen(
        self,
        argv0: str,
        args: Sequence[str],
        env: Mapping[str, str],
        *,
        stdin: Any = subprocess.DEVNULL,
        stdout: Any = None,
        stderr: Any = None,
        text: bool = False,
    ) -> ForkedProcess:
        """Start ``argv0 args`` (`argv0` only names it: tmkg's ``main`` runs) in a child,
        with `env` and this process's working folder. The streams are given as to
        `subprocess.Popen`: None (this process's), DEVNULL, PIPE, STDOUT (for `stderr`), a
        descriptor or a file."""
        opened: list[int] = []  # ours to close once sent
        ends: dict[str, int] = {}  # the pipes' read ends, kept
        given: list[int] = []
        for name, spec in (("stdin", stdin), ("stdout", stdout), ("stderr", stderr)):
            if spec is None:
                given.append(len(given))
            elif spec == subprocess.DEVNULL:
                descriptor = os.open(os.devnull, os.O_RDWR)
                opened.append(descriptor)
                given.append(descriptor)
            elif spec == subprocess.PIPE:
                read, write = os.pipe()
                mine, theirs = (write, read) if name == "stdin" else (read, write)
                ends[name] = mine
                opened.append(theirs)
                given.append(theirs)
            elif spec == subprocess.STDOUT and name == "stderr":
                given.append(given[1])
            else:
                given.append(spec if isinstance(spec, int) else spec.fileno())
        request = {
            "argv0": argv0,
            "args": list(args),
            "env": dict(env),
            "cwd": os.getcwd(),
            "umask": _umask(),
            "affinity": sorted(os.sched_getaffinity(0)),
        }
        message = json.dumps(request).encode() + b"\n"
        try:
            with self._sending:
                channel = self._start()
                sent = socket.send_fds(channel, [message], given)
                channel.sendall(message[sent:])
                with self._state:
                    while not self._started:
                        if self._channel is None:
                            raise RuntimeError("the kg fork server ended")
                        self._state.wait()
                    pid, child = self._started.pop(0)
                    child_key = (self._server, child)
        except BaseException:
            for descriptor in ends.values():
                os.close(descriptor)
            raise
        finally:
            for descriptor in opened:
                os.close(descriptor)
        return ForkedProcess(self, [argv0, *args], pid, child_key, ends, text)

    def status(self, child: tuple[int, int], timeout: float | None) -> int | None:
        """The exit status of `child` (its server's and its own count) once it ended (waiting
        up to `timeout` seconds: None waits as long as it takes, 0 not at all), else None.
        Raises RuntimeError for a child of a server that ended (its status cannot be known)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._state:
            while child not in self._exited:
                if self._channel is None or child[0] != self._server:
                    raise RuntimeError(f"the kg fork server of child {child} ended")
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return None
                self._state.wait(left)
            return self._exited[child]

    def run(
        self, argv0: str, args: Sequence[str], env: Mapping[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        """The finished command, its output captured as text."""
        process = self.popen(
            argv0, args, env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)


class ForkedProcess:
    """A child of a `ForkServer`, with what tests use of `subprocess.Popen`: ``pid``,
    ``args``, ``returncode``, ``stdin``/``stdout``/``stderr`` (for PIPE), `poll`, `wait`,
    `communicate`, `send_signal`, `terminate`, `kill`."""

    def __init__(
        self,
        server: ForkServer,
        args: list[str],
        pid: int,
        child: tuple[int, int],
        ends: dict[str, int],
        text: bool,
    ) -> None:
        self._server = server
        self.args = args
        self.pid = pid
        self._child = child
        self.returncode: int | None = None
        self._text = text
        mode = {"stdin": "wb", "stdout": "rb", "stderr": "rb"}
        self.stdin, self.stdout, self.stderr = (
            _stream(os.fdopen(ends[name], mode[name]), text) if name in ends else None
            for name in ("stdin", "stdout", "stderr")
        )

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._server.status(self._child, 0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self._server.status(self._child, timeout)
            if self.returncode is None:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return self.returncode

    def send_signal(self, signal_number: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal_number)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def communicate(self, input: Any = None, timeout: float | None = None) -> tuple[Any, Any]:
        """Both output pipes read to their end (and closed), then the exit awaited, as
        `subprocess.Popen.communicate` does; `input` is written to a stdin pipe first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if self.stdin is not None:
            if input:
                with contextlib.suppress(BrokenPipeError):
                    self.stdin.write(input)
            with contextlib.suppress(BrokenPipeError):
                self.stdin.close()
        streams = [stream for stream in (self.stdout, self.stderr) if stream is not None]
        read = _read_all([stream.fileno() for stream in streams], deadline, self.args)
        for stream in streams:
            stream.close()
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        self.wait(left)
        texts = iter(_decoded(data) if self._text else data for data in read)
        return (
            next(texts) if self.stdout is not None else None,
            next(texts) if self.stderr is not None else None,
        )

    def __enter__(self) -> ForkedProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for stream in (self.stdin, self.stdout, self.stderr):
            if stream is not None:
                stream.close()
        self.wait()


def _umask() -> int:
    """This process's file mode mask, read without setting it (Linux's /proc: setting and
    restoring it would give a file another thread makes meanwhile the wrong mode)."""
    with (
        contextlib.suppress(OSError, StopIteration, ValueError),
        open("/proc/self/status", encoding="ascii") as status,
    ):
        line = next(line for line in status if line.startswith("Umask:"))
        return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _stream(file: IO[bytes], text: bool) -> IO[Any]:
    if not text:
        return file
    return io.TextIOWrapper(file, encoding=locale.getpreferredencoding(False))  # type: ignore[arg-type]


def _read_all(descriptors: list[int], deadline: float | None, args: list[str]) -> list[bytes]:
    """Each descriptor read to its end, together, as `subprocess.communicate` does."""
    chunks: dict[int, list[bytes]] = {descriptor: [] for descriptor in descriptors}
    with selectors.DefaultSelector() as selector:
        for descriptor in descriptors:
            selector.register(descriptor, selectors.EVENT_READ)
        open_count = len(descriptors)
        while open_count:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready = selector.select(left)
            if not ready:
                raise subprocess.TimeoutExpired(args, 0)
            for key, _ in ready:
                data = os.read(key.fd, 1 << 16)
                if data:
                    chunks[key.fd].append(data)
                else:
                    selector.unregister(key.fd)
                    open_count -= 1
    return [b"".join(chunks[descriptor]) for descriptor in descriptors]


def _decoded(data: bytes) -> str:
    """As `subprocess.run(text=True)` decodes (the locale's encoding, universal newlines)."""
    encoding = locale.getpreferredencoding(False)
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding).read()

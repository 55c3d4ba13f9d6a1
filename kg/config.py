"""Settings: one frozen dataclass, read from command-line flags and the environment.

The store location is, in order: ``--store PATH``, ``$KG_STORE``, else the per-user data
folder (``platformdirs.user_data_dir("tmkg")/store``, e.g. ``~/.local/share/tmkg/store`` on
Linux). ``--memory`` (or ``KG_MEMORY=1``) uses a throwaway in-memory store instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

__all__ = ["Settings", "default_store_path"]


def default_store_path() -> Path:
    """The per-user folder where the embedded store lives when no path is given."""
    return Path(platformdirs.user_data_dir("tmkg", appauthor=False)) / "store"


@dataclass(frozen=True)
class Settings:
    """Everything the service layer needs to know about where and how to run."""

    store_path: Path | None = None
    memory: bool = False
    # Read, never write: no writer lock, no reference-data sync (see kg.graph.KnowledgeGraph).
    read_only: bool = False
    # A remote SPARQL 1.1 store instead of the embedded one (see docs/remote-stores.md).
    endpoint: str | None = None
    update_endpoint: str | None = None
    endpoint_user: str | None = None
    endpoint_password: str | None = field(default=None, repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    # The SPARQL endpoint's limits (see README, "SPARQL endpoint").
    query_timeout: float = 30.0
    max_rows: int = 10_000
    max_request_bytes: int = 1_000_000
    query_workers: int = 2
    # Each query/update worker's memory limit in MiB (RLIMIT_DATA; past it the worker dies).
    query_memory_mb: int = 1024
    update_token: str | None = field(default=None, repr=False)
    # A file holding the update token (read by `with_update_token_file`; it wins over the above).
    update_token_file: Path | None = None
    # POST /load: the largest RDF body accepted.
    max_load_bytes: int = 100_000_000
    cors_origins: tuple[str, ...] = ()
    allowed_endpoints: tuple[str, ...] = ()
    # The GraphQL endpoint's limits (see README, "GraphQL").
    graphql_max_depth: int = 10
    graphql_max_cost: int = 10_000
    graphql_timeout: float = 30.0
    # /report: past the time limit 503; at most this many built at once, past it 503.
    report_timeout: float = 60.0
    report_concurrency: int = 2
    # Host headers the server answers (DNS rebinding); empty: the bound address's names.
    allowed_hosts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # a path given as text (``Settings(store_path="data/store")``) is a Path like any;
        # an empty one is none given, as an empty $KG_STORE is (`from_env`): as a Path it
        # would be the current folder, made a store beside whatever it holds
        for name in ("store_path", "update_token_file"):
            value = getattr(self, name)
            if isinstance(value, str) and not value.strip():
                object.__setattr__(self, name, None)
            elif value is not None and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value))

    @property
    def backend(self) -> str:
        """The store backend name: ``sparql`` (remote), ``memory`` or ``oxigraph`` (on disk)."""
        if self.endpoint:
            return "sparql"
        return "memory" if self.memory else "oxigraph"

    @property
    def resolved_store_path(self) -> Path | None:
        """The on-disk store folder, or ``None`` for an in-memory or remote store."""
        if self.memory or self.endpoint:
            return None
        return self.store_path or default_store_path()

    @property
    def store_options(self) -> dict[str, object]:
        """Backend options for `kg.store.open_store`: the remote store's endpoints and login.

        >>> Settings(endpoint="http://h/sparql", endpoint_user="u").store_options["auth"]
        ('u', '')
        """
        if not self.endpoint:
            return {"read_only": True} if self.read_only and not self.memory else {}
        login = (self.endpoint_user, self.endpoint_password or "") if self.endpoint_user else None
        return {"endpoint": self.endpoint, "update_endpoint": self.update_endpoint, "auth": login}

    @property
    def trusted_hosts(self) -> tuple[str, ...]:
        """The Host names the server answers: `allowed_hosts`, else the bound address's.

        Bound to loopback, its names (any port); bound to an address, that address; bound to
        every interface (0.0.0.0, ::), loopback only until hosts are named.

        >>> Settings().trusted_hosts
        ('127.0.0.1', 'localhost', '[::1]')
        >>> Settings(host="192.0.2.7").trusted_hosts
        ('192.0.2.7',)
        >>> Settings(host="::1", allowed_hosts=("kg.example.org",)).trusted_hosts
        ('kg.example.org',)
        """
        if self.allowed_hosts:
            return self.allowed_hosts
        loopback = ("127.0.0.1", "localhost", "[::1]")
        host = self.host.strip("[]").lower()
        if host in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::", ""):
            return loopback
        return (f"[{host}]" if ":" in host else host,)

    def with_update_token_file(self) -> Settings:
        """These settings with `update_token` read from `update_token_file`, if one is named.

        The file holds the token alone (surrounding whitespace ignored). Raises `KGError` when
        it cannot be read, is empty, or holds what cannot be sent in an HTTP header.

        >>> Settings(update_token="t").with_update_token_file().update_token
        't'
        """
        if self.update_token_file is None:
            return self
        from kg.errors import KGError

        path = self.update_token_file
        try:
            token = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise KGError(f"cannot read the update token file {path}: {reason}") from None
        if not token or not all(c.isascii() and c.isprintable() and c != " " for c in token):
            raise KGError(
                f"the update token file {path} must hold one token: printable ASCII, no spaces",
                suggestion="make one with: python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))' > FILE",
            )
        return replace(self, update_token=token)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``KG_*`` variables, with explicit (non-``None``) overrides winning.

        >>> Settings.from_env({"KG_STORE": "/tmp/x"}).store_path
        PosixPath('/tmp/x')
        >>> Settings.from_env({"KG_STORE": "/tmp/x"}, store_path=Path("/y")).store_path
        PosixPath('/y')
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            "store_path": Path(env["KG_STORE"]) if env.get("KG_STORE") else None,
            "memory": env.get("KG_MEMORY", "") in ("1", "true", "yes"),
            "endpoint": env.get("KG_ENDPOINT") or None,
            "update_endpoint": env.get("KG_UPDATE_ENDPOINT") or None,
            "endpoint_user": env.get("KG_ENDPOINT_USER") or None,
            "endpoint_password": env.get("KG_ENDPOINT_PASSWORD") or None,
            "host": env.get("KG_HOST", "127.0.0.1"),
            "port": int(env.get("KG_PORT", "8000")),
            "debug": env.get("KG_DEBUG", "") in ("1", "true", "yes"),
            "query_timeout": float(env.get("KG_QUERY_TIMEOUT", "30")),
            "max_rows": int(env.get("KG_MAX_ROWS", "10000")),
            "max_request_bytes": int(env.get("KG_MAX_REQUEST_BYTES", "1000000")),
            "query_workers": int(env.get("KG_QUERY_WORKERS", "2")),
            "query_memory_mb": int(env.get("KG_QUERY_MEMORY_MB", "1024")),
            "update_token": env.get("KG_UPDATE_TOKEN") or None,
            "update_token_file": Path(env["KG_UPDATE_TOKEN_FILE"])
            if env.get("KG_UPDATE_TOKEN_FILE")
            else None,
            "max_load_bytes": int(env.get("KG_MAX_LOAD_BYTES", "100000000")),
            "cors_origins": tuple(env.get("KG_CORS_ORIGINS", "").split()),
            "allowed_endpoints": tuple(env.get("KG_ALLOWED_ENDPOINTS", "").split()),
            "graphql_max_depth": int(env.get("KG_GRAPHQL_MAX_DEPTH", "10")),
            "graphql_max_cost": int(env.get("KG_GRAPHQL_MAX_COST", "10000")),
            "graphql_timeout": float(env.get("KG_GRAPHQL_TIMEOUT", "30")),
            "report_timeout": float(env.get("KG_REPORT_TIMEOUT", "60")),
            "report_concurrency": int(env.get("KG_REPORT_CONCURRENCY", "2")),
            "allowed_hosts": tuple(env.get("KG_ALLOWED_HOSTS", "").split()),
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]

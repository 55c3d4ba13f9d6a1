"""httpx's one-request functions with one TLS context for the whole run.

`httpx.get` and `httpx.post` make a client for each request, and each client reads certifi's
CA bundle into a new `ssl.SSLContext` (~50 ms of CPU, also for a plain http:// URL): the
tests' thousands of requests to their local servers spent ~6% of the suite's time there
(py-spy, 2026-12-07; polling a starting server for /health most of it). The same checks, one
context: what the tests ask and what the servers answer are unchanged.
"""

from __future__ import annotations

import ssl
from typing import Any

import httpx

TLS = ssl.create_default_context()


def http_get(url: str | httpx.URL, **options: Any) -> httpx.Response:
    """`httpx.get` with the run's TLS context."""
    return httpx.get(url, verify=TLS, **options)


def http_post(url: str | httpx.URL, **options: Any) -> httpx.Response:
    """`httpx.post` with the run's TLS context."""
    return httpx.post(url, verify=TLS, **options)


def http_request(method: str, url: str | httpx.URL, **options: Any) -> httpx.Response:
    """`httpx.request` with the run's TLS context."""
    return httpx.request(method, url, verify=TLS, **options)

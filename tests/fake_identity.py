"""The managed-identity endpoint App Service gives a web app, faked on 127.0.0.1, and a guard that
fails any test in which something tries the cloud's instance metadata address instead.

App Service sets IDENTITY_ENDPOINT (a local URL) and IDENTITY_HEADER (a secret the endpoint checks)
in the app's environment; msal and azure-identity ask it for tokens with GET ?api-version=2019-08-01
&resource=...&client_id=... and the secret in X-IDENTITY-HEADER. Without those variables both fall
back to the virtual machines' instance metadata service at 169.254.169.254, which a test must never
reach: on a developer's machine it is unroutable (a hang), on an Azure machine it is real.
"""

from __future__ import annotations

import base64
import json
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

INSTANCE_METADATA_HOST = "169.254.169.254"
APP_SERVICE_API_VERSION = "2019-08-01"
# Every variable through which msal or azure-identity could find some other identity source.
IDENTITY_SOURCE_VARIABLES = (
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "IDENTITY_SERVER_THUMBPRINT",
    "IMDS_ENDPOINT",
    "MSI_ENDPOINT",
    "MSI_SECRET",
    "AZURE_POD_IDENTITY_AUTHORITY_HOST",
    "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_FEDERATED_TOKEN_FILE",
)


@dataclass
class InstanceMetadataGuard:
    """Refuses, and records, every connection to the instance metadata address."""

    attempts: list[Any] = field(default_factory=list)

    def check(self, address: Any) -> None:
        if isinstance(address, tuple) and address and address[0] == INSTANCE_METADATA_HOST:
            self.attempts.append(address)
            raise ConnectionRefusedError(f"test guard: {INSTANCE_METADATA_HOST} (instance metadata) is off limits")


@pytest.fixture(autouse=True)
def instance_metadata_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[InstanceMetadataGuard]:
    """Every socket connect (blocking, or asyncio's) goes through socket.socket.connect/connect_ex."""
    guard = InstanceMetadataGuard()
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guarded_connect(self: socket.socket, address: Any) -> None:
        guard.check(address)
        return connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        guard.check(address)
        return connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    yield guard
    # Even if the code under test swallowed the refusal, the attempt fails the test.
    assert guard.attempts == [], f"the instance metadata address was contacted: {guard.attempts}"


def unsigned_jwt(claims: dict[str, Any]) -> str:
    """A token shaped like Entra ID's (what Azurite's basic OAuth mode checks: audience, issuer, times)."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.{part({'sig': 'none'})}"


@dataclass
class FakeIdentityEndpoint:
    """App Service's identity endpoint: checks the secret header, issues numbered tokens, records requests."""

    tenant_id: str = "72f988bf-0000-4000-8000-stagecoach00"
    secret: str = field(default_factory=lambda: uuid.uuid4().hex)
    requests: list[dict[str, str]] = field(default_factory=list)  # each token request's query
    refused: int = 0
    fail_with: int | None = None  # answer every request with this status instead
    server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/msi/token"))

    def environment(self) -> dict[str, str]:
        return {"IDENTITY_ENDPOINT": self.url, "IDENTITY_HEADER": self.secret}

    def use_in(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """This endpoint, and no other identity source, in the process environment."""
        for name in IDENTITY_SOURCE_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in self.environment().items():
            monkeypatch.setenv(name, value)

    async def start(self) -> FakeIdentityEndpoint:
        application = web.Application()
        application.router.add_get("/msi/token", self._token)
        self.server = TestServer(application, host="127.0.0.1")
        await self.server.start_server()
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def token_for(self, resource: str, client_id: str) -> str:
        now = int(time.time())
        number = len(self.requests)
        return unsigned_jwt(
            {
                "aud": resource,
                "iss": f"https://sts.windows.net/{self.tenant_id}/",
                "appid": client_id,
                "tid": self.tenant_id,
                "oid": client_id,
                "iat": now - 60,
                "nbf": now - 60,
                "exp": now + 3600,
                "jti": f"managed-identity-token-{number}",
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        if request.headers.get("X-IDENTITY-HEADER") != self.secret:
            self.refused += 1
            return web.json_response({"statusCode": 401, "message": "bad X-IDENTITY-HEADER"}, status=401)
        query = dict(request.query)
        self.requests.append(query)
        if self.fail_with is not None:
            return web.json_response({"statusCode": self.fail_with, "message": "identity down"}, status=self.fail_with)
        if query.get("api-version") != APP_SERVICE_API_VERSION or not query.get("resource"):
            return web.json_response({"statusCode": 400, "message": "bad request"}, status=400)
        resource = query["resource"]
        client_id = query.get("client_id", "system-assigned")
        return web.json_response(
            {
                "access_token": self.token_for(resource, client_id),
                "expires_on": str(int(time.time()) + 3600),
                "resource": resource,
                "token_type": "Bearer",
                "client_id": client_id,
            }
        )

"""Outbound credentials for MicrosoftAppType=UserAssignedMSI: the SDK's, with a timeout and clear failures.

botframework-connector 4.17.1 has ManagedIdentityAppCredentials (msal's ManagedIdentityClient: the
App Service identity endpoint from IDENTITY_ENDPOINT/IDENTITY_HEADER, else instance metadata). Two
things in it are not good enough for a bot: its `requests.Session` has no timeout, so an identity
endpoint that hangs holds a worker thread and the turn forever; and a refused token surfaces as
`KeyError: 'access_token'`, with msal's reason thrown away. ManagedIdentityCredentials keeps the
SDK's class (and so its process-wide token cache: one token per resource, refreshed by msal when due)
and changes only those two.
"""

from __future__ import annotations

from typing import Any

import msal
import requests
from botframework.connector.auth import (
    ManagedIdentityAppCredentials,
    ManagedIdentityServiceClientCredentialsFactory,
    MicrosoftAppCredentials,
)
from msrest.authentication import Authentication

# The identity endpoint is on the same host: it answers in milliseconds or not at all.
IDENTITY_TIMEOUT_SECONDS = 5.0


class ManagedIdentityTokenError(RuntimeError):
    """The managed identity got no token; the message has the endpoint's reason (never a token)."""


class _SessionWithTimeout(requests.Session):
    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", IDENTITY_TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


class ManagedIdentityCredentials(ManagedIdentityAppCredentials):
    def __init__(self, app_id: str, oauth_scope: str | None = None) -> None:
        super().__init__(app_id, oauth_scope)
        self._identity_client: msal.ManagedIdentityClient | None = None

    def get_access_token(self, force_refresh: bool = False) -> str:
        if self._identity_client is None:
            self._identity_client = msal.ManagedIdentityClient(
                msal.UserAssignedManagedIdentity(client_id=self.microsoft_app_id),
                http_client=_SessionWithTimeout(),
                token_cache=ManagedIdentityAppCredentials.global_token_cache,
            )
        try:
            result = self._identity_client.acquire_token_for_client(resource=self.oauth_scope)
        except requests.RequestException as error:
            raise ManagedIdentityTokenError(
                f"managed identity {self.microsoft_app_id}: the identity endpoint did not answer ({error})"
            ) from error
        token = result.get("access_token")
        if not token:
            raise ManagedIdentityTokenError(
                f"managed identity {self.microsoft_app_id} got no token for {self.oauth_scope}: "
                f"{result.get('error')}: {result.get('error_description')}"
            )
        return str(token)


class ManagedIdentityCredentialsFactory(ManagedIdentityServiceClientCredentialsFactory):
    """The SDK's factory for UserAssignedMSI, handing out ManagedIdentityCredentials."""

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Authentication:
        if await self.is_authentication_disabled():
            return MicrosoftAppCredentials.empty()
        if not await self.is_valid_app_id(app_id):
            raise PermissionError(f"no credentials for app id {app_id!r}: this bot is {self.app_id!r}")
        return ManagedIdentityCredentials(app_id, oauth_scope)

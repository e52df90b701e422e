"""App credentials for tests with an app id: tokens from a counter instead of Azure AD."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from botframework.connector.auth import AppCredentials, ServiceClientCredentialsFactory


@dataclass
class FakeCredentials(AppCredentials):
    """App credentials whose token comes from a counter; records the thread that fetched each one."""

    app_id: str = ""
    scope: str = ""
    tokens_issued: int = 0
    threads: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(app_id=self.app_id, oauth_scope=self.scope)

    def get_access_token(self, force_refresh: bool = False) -> str:
        self.threads.append(threading.get_ident())
        self.tokens_issued += 1
        return f"token-{self.tokens_issued}"


@dataclass
class FakeCredentialsFactory(ServiceClientCredentialsFactory):
    """Knows one app id; records the credentials it issued and what they were asked for."""

    app_id: str
    issued: list[FakeCredentials] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (app id, oauth scope) asked for

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self.app_id

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> FakeCredentials:
        if app_id != self.app_id:
            raise PermissionError(f"unknown app id {app_id!r}")
        self.requests.append((app_id, oauth_scope))
        credentials = FakeCredentials(app_id=app_id, scope=oauth_scope)
        self.issued.append(credentials)
        return credentials

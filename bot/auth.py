"""Who may talk to the bot: the token checks the SDK does not make, and where replies may go.

botframework-connector 4.17.1 accepts a channel token without an `exp` claim, and accepts tokens
issued for the Bot Framework Emulator (an Azure AD issuer, no serviceurl claim) whenever an app id is
set, after which the reply, with the bot's own outbound token, goes wherever the activity's
serviceUrl points. TokenPolicy refuses both before the SDK validates the token (the SDK still checks
signature, issuer, audience, endorsements and expiry; these checks only refuse more).

The channel's signing keys are fetched by bot/sdk_patches/signing_keys.py.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

import jwt
from botframework.connector.auth import AuthenticationConstants

# --- the token, before the SDK looks at it ------------------------------------------------------------


@dataclass(frozen=True)
class TokenPolicy:
    channel_issuer: str = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
    allow_emulator_tokens: bool = False

    def problem(self, auth_header: str | None) -> str | None:
        """Why this Authorization header is refused before validation, or None to let the SDK decide."""
        scheme, _, token = (auth_header or "").partition(" ")
        if scheme != "Bearer" or not token:
            return None  # the SDK refuses these itself (401)
        try:
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            return None  # likewise
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or isinstance(exp, bool):
            return "token without an expiry"
        if claims.get("iss") != self.channel_issuer and not self.allow_emulator_tokens:
            return "token not issued by the channel (emulator tokens are not allowed)"
        return None


def is_loopback_url(url: str) -> bool:
    """True for http(s) URLs on this machine: 127.0.0.0/8, ::1 or localhost."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

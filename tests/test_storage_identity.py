"""Azure Blob state reached with a managed identity: no key, no connection string.

Azurite serves HTTPS with --oauth basic (it checks the token's audience, issuer and lifetime, as
Azure Storage does, but not its signature), and azure-identity's ManagedIdentityCredential gets the
token from the fake App Service identity endpoint in tests/fake_identity.py. The instance metadata
guard there fails the test if anything tries 169.254.169.254.
"""

from __future__ import annotations

import datetime
import ipaddress
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from azure.identity.aio import ManagedIdentityCredential
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from bot.storage import AzureBlobStorage, StorageConflictError, StorageError, create_storage
from tests.azurite import AzuriteServer, running
from tests.fake_identity import FakeIdentityEndpoint

CLIENT_ID = "3c1d2e4f-0000-4000-8000-stagecoachmi"
STORAGE_RESOURCE = "https://storage.azure.com"

pytestmark = pytest.mark.azurite


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (subject alternative name IP 127.0.0.1) and its key, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "azurite.crt", directory / "azurite.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def azurite_oauth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzuriteServer]:
    directory = tmp_path_factory.mktemp("azurite-oauth")
    yield from running(AzuriteServer(directory / "data", tls=self_signed_certificate(directory)))


@pytest.fixture
async def identity(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeIdentityEndpoint]:
    endpoint = await FakeIdentityEndpoint().start()
    endpoint.use_in(monkeypatch)
    yield endpoint
    await endpoint.close()


def storage_with_identity(server: AzuriteServer) -> AzureBlobStorage:
    assert server.tls is not None
    return AzureBlobStorage(
        None,
        "state-" + uuid.uuid4().hex[:12],
        account_url=server.blob_endpoint,
        credential=ManagedIdentityCredential(client_id=CLIENT_ID),
        ca_bundle=str(server.tls[0]),
    )


async def test_state_round_trips_with_a_token_from_the_managed_identity(
    azurite_oauth: AzuriteServer, identity: FakeIdentityEndpoint
) -> None:
    async with storage_with_identity(azurite_oauth) as store:
        assert await store.ping()
        await store.write({"msteams/conv/user": {"dialog": "check", "step": 2}})
        [item] = (await store.read(["msteams/conv/user"])).values()
        assert item["dialog"] == "check" and item["step"] == 2
        stale = {**item, "step": 3}
        await store.write({"msteams/conv/user": {**item, "step": 4}})
        with pytest.raises(StorageConflictError):  # the blob's ETag still settles concurrent turns
            await store.write({"msteams/conv/user": stale})
        await store.delete(["msteams/conv/user"])
        assert await store.read(["msteams/conv/user"]) == {}
    # One token, for Azure Storage, for the user-assigned identity; cached across every call above.
    assert identity.requests == [{"api-version": "2019-08-01", "resource": STORAGE_RESOURCE, "client_id": CLIENT_ID}]


async def test_without_a_token_the_service_refuses_and_the_bot_reports_a_storage_error(
    azurite_oauth: AzuriteServer, identity: FakeIdentityEndpoint
) -> None:
    identity.fail_with = 500
    async with storage_with_identity(azurite_oauth) as store:
        assert not await store.ping()
        with pytest.raises(StorageError):
            await store.write({"msteams/conv/user": {"dialog": "check"}})
    assert identity.requests and identity.requests[0]["client_id"] == CLIENT_ID


async def test_the_factory_uses_the_managed_identity_when_there_is_no_connection_string(
    identity: FakeIdentityEndpoint,
) -> None:
    store = create_storage(
        "azureblob://stagecoach-state",
        None,
        azure_account_url="https://stagecoachstate.blob.core.windows.net",
        azure_client_id=CLIENT_ID,
    )
    assert isinstance(store, AzureBlobStorage)
    assert isinstance(store._credential, ManagedIdentityCredential)
    await store.close()  # closes the credential too; nothing was requested
    assert identity.requests == []


def test_a_plain_http_account_url_is_refused_before_any_token_is_fetched() -> None:
    with pytest.raises(ValueError, match=r"must be https://"):
        create_storage(
            "azureblob://stagecoach-state", None, azure_account_url="http://127.0.0.1:10000/devstoreaccount1"
        )


def test_without_a_connection_string_or_an_account_url_the_setting_names_both() -> None:
    with pytest.raises(ValueError, match=r"AZURE_STORAGE_ACCOUNT_URL.*AZURE_STORAGE_CONNECTION_STRING"):
        create_storage("azureblob://stagecoach-state")

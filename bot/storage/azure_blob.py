"""Azure Blob Storage: one JSON blob per key, for several bot instances sharing state.

The client signs in with a connection string (a key or SAS: local Azurite, or anywhere without an
identity) or with a token credential and the account URL (a managed identity in Azure: no secret in
the settings, and the account can refuse shared keys altogether).

Concurrency uses the blob's own ETag with conditional requests (If-Match / If-None-Match: *),
so the check and the write are one atomic operation on the service. Retries and timeouts are
kept short: a Teams turn would rather fail fast with ``StorageUnavailableError`` than hang.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any, TypeVar
from urllib.parse import quote

from azure.core import MatchConditions
from azure.core.credentials_async import AsyncTokenCredential
from azure.core.exceptions import (
    AzureError,
    HttpResponseError,
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
    ServiceRequestError,
    ServiceResponseError,
)
from azure.storage.blob import ContentSettings, StorageErrorCode
from azure.storage.blob.aio import ContainerClient, LinearRetry

from bot.storage.base import (
    PreparedWrite,
    StateStorage,
    StorageError,
    StorageUnavailableError,
    WriteCondition,
    closed_error,
    decode_item,
    prepare_writes,
    raise_for_conflicts,
    validate_keys,
)

MAX_BLOB_NAME_LENGTH = 1024
# Encoded names never contain "/", so hashed names under this prefix cannot collide with them.
HASHED_NAME_PREFIX = "sha256/"
_CONTAINER_NAME = re.compile(r"^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")
_JSON_CONTENT = ContentSettings(content_type="application/json; charset=utf-8")
# A conditional write is retried only when the request was never sent (connect failures). After a
# lost response or a 5xx the first attempt may have been applied, and its retry would then fail the
# condition and report a false conflict; StorageUnavailableError ("outcome unknown") is honest.
_NO_AMBIGUOUS_RETRIES = {"retry_read": 0, "retry_status": 0}
# Throttling and server-side timeouts are outages too, once the retries are used up.
_UNAVAILABLE_STATUS_CODES = frozenset({408, 429})

T = TypeVar("T")
K = TypeVar("K")


def blob_name_for_key(key: str) -> str:
    """A flat, reversible blob name: slashes become %2F, so keys never form virtual folders.

    Dots are encoded too, because the service trims a trailing dot from names.
    """
    name = quote(key, safe="").replace(".", "%2E")
    if len(name) > MAX_BLOB_NAME_LENGTH:
        return HASHED_NAME_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()
    return name


def validate_container_name(container: str) -> str:
    if not _CONTAINER_NAME.match(container):
        raise ValueError(
            f"invalid Azure Blob container name {container!r}: use 3-63 lowercase letters, digits "
            "and single hyphens, starting and ending with a letter or digit"
        )
    return container


class AzureBlobStorage(StateStorage):
    def __init__(
        self,
        connection_string: str | None,
        container: str,
        *,
        account_url: str | None = None,
        credential: AsyncTokenCredential | None = None,
        ca_bundle: str | None = None,
        operation_timeout_seconds: float = 5.0,
        ping_timeout_seconds: float = 2.0,
        connect_timeout_seconds: float = 2.0,
        retries: int = 2,
        max_concurrency: int = 16,
    ) -> None:
        """Either a connection string, or an account URL and a token credential (closed with the storage).

        ca_bundle: a PEM file to verify the service's certificate with, instead of the system's CAs.
        """
        self.container_name = validate_container_name(container)
        self._operation_timeout_seconds = operation_timeout_seconds
        self._ping_timeout_seconds = ping_timeout_seconds
        self._max_concurrency = max_concurrency
        self._credential = credential
        options: dict[str, Any] = {
            # Short linear backoff: a few quick retries ride out a blip; a real outage
            # still surfaces within operation_timeout_seconds.
            # (The SDK annotates these seconds as int, but computes with floats.)
            "retry_policy": LinearRetry(
                backoff=0.2,  # type: ignore[arg-type]
                random_jitter_range=0.1,  # type: ignore[arg-type]
                retry_total=retries,
            ),
            "connection_timeout": connect_timeout_seconds,
            "read_timeout": operation_timeout_seconds,
        }
        if ca_bundle:
            options["connection_verify"] = ca_bundle
        if connection_string:
            try:
                self._container = ContainerClient.from_connection_string(connection_string, container, **options)
            except ValueError as exc:  # the SDK's messages name the problem, never the secret
                raise ValueError(f"invalid Azure Storage connection string: {exc}") from exc
        elif account_url and credential is not None:
            if not account_url.lower().startswith("https://"):
                raise ValueError(
                    f"the Azure Storage account URL must be https:// to carry a token, not {account_url!r}"
                )
            self._container = ContainerClient(account_url, container, credential=credential, **options)
        else:
            raise ValueError("AzureBlobStorage needs a connection string, or an account URL and a credential")
        self._container_ready = False
        self._container_lock = asyncio.Lock()
        self._closed = False

    async def read(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        key_list = list(dict.fromkeys(validate_keys(keys)))
        if not key_list:
            return {}
        async with self._translated_errors("read"):
            values = await self._for_each(self._read_one, key_list)
        return {key: value for key, value in zip(key_list, values, strict=True) if value is not None}

    async def write(self, changes: Mapping[str, Any]) -> None:
        writes = prepare_writes(changes)
        if not writes:
            return
        async with self._translated_errors("write"):
            await self._ensure_container()
            written = await self._for_each(self._write_one, writes)
        raise_for_conflicts([change.key for change, ok in zip(writes, written, strict=True) if not ok])

    async def delete(self, keys: Iterable[str]) -> None:
        key_list = list(dict.fromkeys(validate_keys(keys)))
        if not key_list:
            return
        async with self._translated_errors("delete"):
            await self._for_each(self._delete_one, key_list)

    async def ping(self) -> bool:
        if self._closed:
            return False
        try:
            async with asyncio.timeout(self._ping_timeout_seconds):
                # No retries: a readiness probe should answer now, and it is asked again anyway.
                await self._container.exists(retry_total=0)
        except Exception:  # readiness probe: any failure just means "not ready"
            return False
        return True

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self._container.close()
            if self._credential is not None:
                await self._credential.close()

    async def _read_one(self, key: str) -> dict[str, Any] | None:
        blob = self._container.get_blob_client(blob_name_for_key(key))
        try:
            downloader = await blob.download_blob()
            data = await downloader.readall()
        except ResourceNotFoundError:  # no such blob, or no container yet
            return None
        return decode_item(key, data, downloader.properties.etag)

    async def _write_one(self, change: PreparedWrite) -> bool:
        """Upload one key; False when its etag condition does not hold."""
        try:
            return await self._upload_unless_condition_fails(change)
        except ResourceNotFoundError as exc:
            if _error_code(exc) != StorageErrorCode.CONTAINER_NOT_FOUND:
                raise
            if change.condition is WriteCondition.IF_MATCH:
                return False  # no container, so the item that was read is gone
            # Someone deleted the container after we created it: create it again, once.
            self._container_ready = False
            await self._ensure_container()
            return await self._upload_unless_condition_fails(change)

    async def _upload_unless_condition_fails(self, change: PreparedWrite) -> bool:
        try:
            await self._upload(change)
        except HttpResponseError as exc:
            if _is_condition_failure(exc, change.condition):
                return False
            raise
        return True

    async def _upload(self, change: PreparedWrite) -> None:
        blob = self._container.get_blob_client(blob_name_for_key(change.key))
        options: dict[str, Any]
        if change.condition is WriteCondition.ANY:
            options = {"overwrite": True}
        elif change.condition is WriteCondition.CREATE_ONLY:
            options = {"overwrite": False, **_NO_AMBIGUOUS_RETRIES}  # If-None-Match: *
        else:
            options = {
                "overwrite": True,
                "etag": change.expected_etag,
                "match_condition": MatchConditions.IfNotModified,  # If-Match: <etag>
                **_NO_AMBIGUOUS_RETRIES,
            }
        await blob.upload_blob(change.data.encode("utf-8"), content_settings=_JSON_CONTENT, **options)

    async def _delete_one(self, key: str) -> None:
        with suppress(ResourceNotFoundError):
            await self._container.get_blob_client(blob_name_for_key(key)).delete_blob()

    async def _ensure_container(self) -> None:
        if self._container_ready:
            return
        async with self._container_lock:
            if self._container_ready:
                return
            try:
                await self._container.create_container()
            except ResourceExistsError:
                pass
            except HttpResponseError as exc:
                # A SAS limited to blob operations may not create containers; assume an
                # operator created it, and let the blob calls report any real problem.
                if exc.status_code != 403:
                    raise
            self._container_ready = True

    async def _for_each(self, operation: Callable[[K], Awaitable[T]], items: Sequence[K]) -> list[T]:
        """Run ``operation`` on every item concurrently (bounded); raise the first error, if any."""
        if len(items) == 1:
            return [await operation(items[0])]
        semaphore = asyncio.Semaphore(self._max_concurrency)

        async def limited(item: K) -> T:
            async with semaphore:
                return await operation(item)

        # return_exceptions: wait for every call, so none is left running after an error.
        results = await asyncio.gather(*(limited(item) for item in items), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return results  # type: ignore[return-value]

    @asynccontextmanager
    async def _translated_errors(self, action: str) -> AsyncIterator[None]:
        if self._closed:
            raise closed_error(f"AzureBlobStorage({self.container_name!r})")
        where = f"Azure Blob container {self.container_name!r}"
        try:
            async with asyncio.timeout(self._operation_timeout_seconds):
                yield
        except TimeoutError as exc:
            raise StorageUnavailableError(
                f"{where} did not answer a {action} within {self._operation_timeout_seconds:g} s"
            ) from exc
        except (ServiceRequestError, ServiceResponseError) as exc:  # connect/read failures
            raise StorageUnavailableError(f"{where} is unreachable ({action}): {exc}") from exc
        except HttpResponseError as exc:
            status = exc.status_code
            reason = _first_line(exc.message)
            if status is None or status >= 500 or status in _UNAVAILABLE_STATUS_CODES:
                raise StorageUnavailableError(f"{where} is unavailable ({action}): {reason}") from exc
            raise StorageError(f"{where} refused a {action} (HTTP {status}): {reason}") from exc
        except AzureError as exc:
            raise StorageError(f"{where} failed a {action}: {exc}") from exc


def _is_condition_failure(exc: HttpResponseError, condition: WriteCondition) -> bool:
    if condition is WriteCondition.CREATE_ONLY:
        return _error_code(exc) == StorageErrorCode.BLOB_ALREADY_EXISTS
    if condition is WriteCondition.IF_MATCH:
        return isinstance(exc, ResourceModifiedError) or _error_code(exc) in (
            StorageErrorCode.CONDITION_NOT_MET,
            StorageErrorCode.BLOB_NOT_FOUND,
        )
    return False


def _error_code(exc: HttpResponseError) -> str | None:
    # Set by the storage SDK on the errors it raises, but not declared on azure-core's class.
    # StorageErrorCode is a str enum, so comparing with its members works either way.
    code = getattr(exc, "error_code", None)
    return code if isinstance(code, str) else None


def _first_line(text: str | None) -> str:
    # The SDK appends request ids and headers on later lines; logs only need the reason.
    lines = (text or "").strip().splitlines()
    return lines[0] if lines else "no details"

"""The S3-compatible document store: for several hosts without a shared directory (AWS S3, MinIO, Ceph RGW...).

Chosen with ``AXBRIDGE_DOCUMENT_STORE=s3``; boto3 comes with the optional extra (``pip install 'axbridge[s3]'``).

- ``AXBRIDGE_S3_BUCKET`` (required): the bucket, created beforehand;
- ``AXBRIDGE_S3_ENDPOINT_URL``: the server of an S3-compatible store (none: AWS S3 itself);
- ``AXBRIDGE_S3_REGION``: e.g. ``ap-northeast-2`` (none: boto3's default chain);
- ``AXBRIDGE_S3_ACCESS_KEY_ID`` / ``AXBRIDGE_S3_SECRET_ACCESS_KEY``: the key (none: boto3's default chain,
  e.g. ``AWS_ACCESS_KEY_ID`` or an instance role);
- ``AXBRIDGE_S3_PREFIX`` (default ``documents/``): the objects are ``<prefix><sha[:2]>/<sha256>``, so
  identical uploads share one object;
- ``AXBRIDGE_S3_ADDRESSING_STYLE``: ``path`` (the default with an endpoint URL, which S3-compatible servers
  expect), ``virtual`` or ``auto`` (the default for AWS).

The bytes read back are checked against the document's SHA-256 by the reader
(:func:`marketplace.documents.services.read_content`); a changed object is refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from marketplace.documents.models import Document

logger = logging.getLogger(__name__)

#: The S3 error codes that mean "no such object" (the document's file is missing, not the store).
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})


class S3Error(Exception):
    """The store did not answer as expected (unreachable, no such bucket, access denied); ``str`` says why."""


@dataclass(frozen=True)
class S3Settings:
    bucket: str
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    prefix: str = "documents/"
    addressing_style: str | None = None

    @classmethod
    def from_config(cls, config: Any) -> S3Settings:
        """The settings from ``app.config``; :class:`ValueError` naming the variable when one is wrong."""
        bucket = (config.get("S3_BUCKET") or "").strip()
        if not bucket:
            raise ValueError("AXBRIDGE_DOCUMENT_STORE=s3 needs AXBRIDGE_S3_BUCKET (the bucket, created beforehand)")
        key_id, secret = config.get("S3_ACCESS_KEY_ID") or None, config.get("S3_SECRET_ACCESS_KEY") or None
        if bool(key_id) != bool(secret):
            raise ValueError("set both AXBRIDGE_S3_ACCESS_KEY_ID and AXBRIDGE_S3_SECRET_ACCESS_KEY, or neither "
                             "(boto3's default credentials)")
        endpoint = config.get("S3_ENDPOINT_URL") or None
        style = config.get("S3_ADDRESSING_STYLE") or ("path" if endpoint else "auto")
        if style not in ("path", "virtual", "auto"):
            raise ValueError(f"AXBRIDGE_S3_ADDRESSING_STYLE must be path, virtual or auto, not {style!r}")
        prefix = config.get("S3_PREFIX")
        return cls(bucket=bucket, endpoint_url=endpoint, region=config.get("S3_REGION") or None,
                   access_key_id=key_id, secret_access_key=secret,
                   prefix="documents/" if prefix is None else str(prefix), addressing_style=style)

    def where(self) -> str:
        return f"bucket {self.bucket!r} at {self.endpoint_url or 'AWS S3'}"


def make_client(settings: S3Settings):
    """A boto3 S3 client with short timeouts (an unreachable store fails in seconds, not minutes)."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError as exc:  # pragma: no cover - the extra is part of the test extra
        raise ValueError("AXBRIDGE_DOCUMENT_STORE=s3 needs boto3: pip install 'axbridge[s3]'") from exc
    config = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2, "mode": "standard"},
                    s3={"addressing_style": settings.addressing_style},
                    # checksums only where S3 requires them: S3-compatible servers differ in what they accept
                    request_checksum_calculation="when_required", response_checksum_validation="when_required")
    return boto3.session.Session().client(
        "s3", endpoint_url=settings.endpoint_url, region_name=settings.region,
        aws_access_key_id=settings.access_key_id, aws_secret_access_key=settings.secret_access_key, config=config)


def _reason(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    error = response.get("Error", {})
    return f"{error.get('Code')}: {error.get('Message') or ''}".strip() if error else str(exc) or type(exc).__name__


class S3Store:
    name = "s3"

    def __init__(self, client, settings: S3Settings):
        self.client = client
        self.settings = settings

    def key(self, sha256: str) -> str:
        return f"{self.settings.prefix}{sha256[:2]}/{sha256}"

    def _call(self, what: str, method: str, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, method)(Bucket=self.settings.bucket, **kwargs)
        except ClientError as exc:
            if _code(exc) in _MISSING and "Key" in kwargs:
                raise
            reason = "the bucket does not exist" if _code(exc) in ("404", "NoSuchBucket") else _reason(exc)
            raise S3Error(f"{what} failed on {self.settings.where()}: {reason}") from exc
        except BotoCoreError as exc:
            raise S3Error(f"{what} failed on {self.settings.where()}: {_reason(exc)}") from exc

    def put(self, session: Session, document: Document, data: bytes) -> None:
        self._call("storing a document", "put_object", Key=self.key(document.sha256), Body=data,
                   ContentType=document.content_type, Metadata={"sha256": document.sha256})

    def get(self, session: Session, document: Document) -> bytes | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self._call("reading a document", "get_object", Key=self.key(document.sha256))
            with response["Body"] as body:
                return body.read()
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return None
            raise S3Error(f"reading a document failed on {self.settings.where()}: {_reason(exc)}") from exc
        except BotoCoreError as exc:  # the connection broke while reading the body
            raise S3Error(f"reading a document failed on {self.settings.where()}: {_reason(exc)}") from exc

    def check(self) -> None:
        """That the bucket exists and the key may use it; :class:`S3Error` saying what is wrong."""
        self._call("checking the bucket", "head_bucket")


def _code(exc: Exception) -> str:
    return str((getattr(exc, "response", None) or {}).get("Error", {}).get("Code", ""))

"""Where the portal keeps files, and how a permitted user gets one.

Every file (PDF reports now, attachments later) goes through Django's storage API: local disk under
MEDIA_ROOT on the embedded default, an S3-compatible bucket in production (settings: STORAGE_URL).
Nothing is public: a view checks the user's right first, then `download_response` streams the file
from disk or redirects to a presigned URL that expires after FILE_URL_EXPIRY_SECONDS.
"""

import logging
import uuid
import weakref
from urllib.parse import quote

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, HttpResponseRedirect
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)

# What a storage call may raise when the disk or the object store is unavailable or misconfigured.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


class StoredFileMissing(Exception):
    """A file the database points at is not in the storage (deleted or lost behind the portal's back)."""

    def __init__(self, name):
        super().__init__(f"no object {name!r} in the storage")
        self.name = name


class StorageAlias(LazyObject):
    """The storage of a STORAGES alias, looked up when first used. A FileField evaluates its `storage`
    callable once, at import; this proxy lets the field follow the settings (and their overrides in
    tests) instead of keeping the storage of the moment the model was loaded."""

    def __init__(self, alias):
        super().__init__()
        self.__dict__["_alias"] = alias
        _aliases[id(self)] = self

    def _setup(self):
        self._wrapped = storages[self._alias] if self._alias in settings.STORAGES else storages["default"]


# Keyed by identity: a set would hash and compare the proxies through the storages they wrap, so two
# aliases of the same storage would count as one and only one of them would follow a change of STORAGES.
_aliases = weakref.WeakValueDictionary()


@receiver(setting_changed)
def _follow_the_storages_setting(*, setting, **kwargs):
    if setting == "STORAGES":
        for alias in list(_aliases.values()):
            alias._wrapped = empty


class ObjectStorage(S3Storage):
    """django-storages' S3 backend with bounded network waits, path-style addresses (MinIO, Garage,
    Ceph, moto…) and download links signed for the address browsers reach (`public_endpoint_url`),
    which may differ from the one the portal's hosts use: SigV4 signs the host, so a link cannot be
    rewritten after signing."""

    def __init__(self, *, public_endpoint_url=None, **options):
        self.public_endpoint_url = public_endpoint_url
        options.setdefault(
            "client_config",
            Config(
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
                s3={"addressing_style": "path"},
                signature_version="s3v4",
            ),
        )
        super().__init__(**options)
        self._public_client = None

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not self.public_endpoint_url or self.public_endpoint_url == self.endpoint_url:
            return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
        params = {**(parameters or {}), "Bucket": self.bucket_name, "Key": self._normalize_name(name)}
        return self._public_signer().generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=self.querystring_expire if expire is None else expire,
            HttpMethod=http_method,
        )

    def _public_signer(self):
        # Signing is local (no request is made), so this client never needs to reach the public address.
        if self._public_client is None:
            session = self._create_session()
            self._public_client = session.client(
                "s3",
                region_name=self.region_name,
                endpoint_url=self.public_endpoint_url,
                config=self.client_config,
                aws_access_key_id=self.access_key,
                aws_secret_access_key=self.secret_key,
            )
        return self._public_client


def is_object_storage(storage):
    return isinstance(storage, S3Storage)


def download_response(storage, name, *, filename, content_type):
    """The response that hands the stored file `name` to a user whose right was already checked.

    Object storage: a redirect to a presigned URL (the browser fetches the bytes from the bucket,
    not through a web process), valid FILE_URL_EXPIRY_SECONDS, that names the file for download.
    Local disk: the file streamed. Raises StoredFileMissing when the object is not there, so the
    view can say so instead of sending the user to an error page of the object store.
    """
    if is_object_storage(storage):
        if not storage.exists(name):
            raise StoredFileMissing(name)
        disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
        response = HttpResponseRedirect(
            storage.url(
                name,
                parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
                expire=settings.FILE_URL_EXPIRY_SECONDS,
            )
        )
    else:
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError as error:
            raise StoredFileMissing(name) from error
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def stream_response(storage, name, *, filename, content_type):
    """The stored file `name` streamed through the web process to a user whose right was already checked,
    whatever the storage (no link to the object store is ever given out): an attachment, of the
    type the portal established when it accepted the file, that browsers must not sniff. Raises
    StoredFileMissing when the object is not there."""
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError as error:
        raise StoredFileMissing(name) from error
    except ClientError as error:
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
            raise StoredFileMissing(name) from error
        raise
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex"
    return response


def describe_storage_problem(storage):
    """None when the storage answers and lets the portal write, read and delete; else what is wrong,
    in words an operator can act on (wrong bucket, refused keys, unreachable endpoint)."""
    if not is_object_storage(storage):
        return _local_disk_problem(storage)
    client = storage.connection.meta.client
    where = f"bucket {storage.bucket_name!r} at {storage.endpoint_url or 'the default AWS endpoint'}"
    try:
        client.head_bucket(Bucket=storage.bucket_name)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404 or code in ("404", "NoSuchBucket"):
            return f"{where}: the bucket does not exist (create it, or fix the bucket name in STORAGE_URL)"
        if status in (401, 403) or code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            return f"{where}: the access key or secret is refused ({code or status})"
        return f"{where}: {code or status}: {error}"
    except BotoCoreError as error:
        return f"{where}: the endpoint cannot be reached ({error})"
    return _round_trip_problem(storage, where)


def _round_trip_problem(storage, where):
    probe = f"health/probe-{uuid.uuid4().hex}.txt"
    try:
        saved = storage.save(probe, ContentFile(b"probe"))
        try:
            with storage.open(saved, "rb") as handle:
                if handle.read() != b"probe":
                    return f"{where}: an object written could not be read back"
        finally:
            storage.delete(saved)
    except STORAGE_ERRORS as error:
        return f"{where}: writing, reading or deleting an object failed ({error})"
    return None


def _local_disk_problem(storage):
    return _round_trip_problem(storage, f"local disk {getattr(storage, 'location', '')}")


def ensure_bucket(storage):
    """Create the object storage's bucket when it does not exist (the release job of a new deployment)."""
    if not is_object_storage(storage):
        return False
    client = storage.connection.meta.client
    try:
        client.head_bucket(Bucket=storage.bucket_name)
        return False
    except ClientError as error:
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 404:
            raise ImproperlyConfigured(describe_storage_problem(storage)) from error
    arguments = {"Bucket": storage.bucket_name}
    if storage.region_name and storage.region_name != "us-east-1":
        arguments["CreateBucketConfiguration"] = {"LocationConstraint": storage.region_name}
    client.create_bucket(**arguments)
    return True

"""Files in tests, whatever the storage: local disk (SQLite pass) or the S3-compatible server (CI's
PostgreSQL pass, and the tests that ask for `object_storage`)."""

import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import storages

from diagnostics.models.report import report_storage
from tests import objectstore


def object_storage_settings(endpoint_url, bucket, prefix):
    """A STORAGES value with `default` and `reports` on a bucket of the test object store."""
    files = {
        "BACKEND": "portal.storage.ObjectStorage",
        "OPTIONS": {
            "endpoint_url": endpoint_url,
            "bucket_name": bucket,
            "location": prefix,
            "access_key": objectstore.ACCESS_KEY,
            "secret_key": objectstore.SECRET_KEY,
            "region_name": objectstore.REGION,
            "public_endpoint_url": None,
            "querystring_expire": settings.FILE_URL_EXPIRY_SECONDS,
            "file_overwrite": False,
        },
    }
    return {**settings.STORAGES, "default": files, "reports": files}


def with_fresh_prefix(storages_setting):
    """The same object storage under a prefix of its own (a test's files never meet another's)."""
    files = storages_setting["reports"]
    options = {**files["OPTIONS"], "location": f"{files['OPTIONS'].get('location') or 'suite'}/{uuid.uuid4().hex[:12]}"}
    files = {**files, "OPTIONS": options}
    return {**storages_setting, "default": files, "reports": files}


def storage_environment():
    """Environment variables that give a subprocess (a worker, gunicorn) the current file storage."""
    files = settings.STORAGES["reports"]
    if files["BACKEND"] != "portal.storage.ObjectStorage":
        return {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    options = files["OPTIONS"]
    endpoint = urlsplit(options["endpoint_url"])
    return {
        "STORAGE_URL": objectstore.storage_url(
            endpoint.hostname, endpoint.port, options["bucket_name"], options["location"]
        )
    }


def stored_report_names(diagnostic_id):
    """The names of the files kept for a diagnostic's reports."""
    storage = report_storage()
    folder = f"reports/{diagnostic_id}"
    try:
        _folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    return sorted(f"{folder}/{name}" for name in files)


def any_files_stored():
    storage = storages["default"]
    try:
        folders, files = storage.listdir("")
    except FileNotFoundError:
        return False
    return bool(folders or files)


def downloaded(response):
    """(bytes, headers) of a download answered by the portal: a streamed file, or a redirect to a
    presigned URL of the object store, followed as a browser would."""
    if response.status_code == 302:
        with urllib.request.urlopen(response["Location"], timeout=10) as remote:
            return remote.read(), remote.headers  # case-insensitive, like response.headers
    return b"".join(response.streaming_content), response.headers


def served_status(response):
    """The status a person downloading gets in the end: a redirect to a presigned URL of the object
    store counts as that URL's answer (200 when the file is served), any other answer as itself."""
    location = response.get("Location", "") if response.status_code == 302 else ""
    if location.startswith(("http://", "https://")) and "X-Amz-Signature=" in location:
        return fetch_status(location)
    return response.status_code


def fetch_status(url):
    """The HTTP status the object store answers for `url` (e.g. 403 once a presigned URL expired)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as remote:
            return remote.status
    except urllib.error.HTTPError as error:
        return error.code

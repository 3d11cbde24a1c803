"""How the settings turn the connection URLs of the environment into the options Django, Celery and
django-storages expect (portal/settings.py reads the environment; these functions only parse)."""

from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from environ import ImproperlyConfigured


def neighbour_redis_database(url):
    """The same Redis server, another database number: the cache must not live in the broker's
    database, or clearing the cache would also drop the queued tasks."""
    parts = urlsplit(url)
    broker_db = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{broker_db + 1 if broker_db < 15 else broker_db - 1}"))


def object_storage_options(url, env):
    """django-storages' S3 options from `s3://KEY:SECRET@HOST[:PORT]/BUCKET[/PREFIX]?region=R` (`s3+http://`
    for a server without TLS), or from the AWS_* variables of `env` (django-environ's reader) when STORAGE_URL
    is not set."""
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("s3", "s3+https", "s3+http"):
            raise ImproperlyConfigured(
                f"STORAGE_URL must start with s3://, s3+https:// or s3+http:// (got {parts.scheme}://)."
            )
        bucket, _slash, prefix = parts.path.strip("/").partition("/")
        query = dict(parse_qsl(parts.query))
        options = {
            "endpoint_url": f"{'http' if parts.scheme == 's3+http' else 'https'}://{parts.hostname}"
            + (f":{parts.port}" if parts.port else ""),
            "bucket_name": bucket,
            "location": prefix,
            "access_key": unquote(parts.username or ""),
            "secret_key": unquote(parts.password or ""),
            "region_name": query.get("region", "us-east-1"),
        }
    else:
        options = {
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "location": env.str("AWS_LOCATION", default=""),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=""),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=""),
            "region_name": env.str("AWS_S3_REGION_NAME", default="us-east-1"),
        }
    if not options["bucket_name"]:
        raise ImproperlyConfigured("The object storage needs a bucket: STORAGE_URL=s3://KEY:SECRET@HOST/BUCKET.")
    return options

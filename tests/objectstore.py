"""The S3-compatible server the tests and CI talk to.

moto's standalone server (PyPI `moto[server]`, objects in memory), behind one addition: like AWS S3,
MinIO or Garage, it refuses a presigned URL whose SigV4 signature is wrong (a link signed for another
host, a tampered key) or whose `X-Amz-Date` + `X-Amz-Expires` has passed. moto checks neither, and
the portal's downloads rely on both.

    python -m tests.objectstore --host 127.0.0.1 --port 9000     # what .ci/run starts

`running_server()` starts one in a thread of the current process (port chosen by the system).
"""

import argparse
import contextlib
import hashlib
import hmac
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

ACCESS_KEY = "portal-test-access"
SECRET_KEY = "portal-test-secret-0123456789"
REGION = "us-east-1"
ALGORITHM = "AWS4-HMAC-SHA256"


class PresignedUrlCheck:
    """WSGI middleware: a request carrying `X-Amz-Signature` in its query must be signed with a known
    key pair for this host and path, and must not have expired."""

    def __init__(self, app, credentials, clock=None):
        self.app = app
        self.credentials = dict(credentials)
        self.clock = clock or (lambda: datetime.now(UTC))

    def __call__(self, environ, start_response):
        query = environ.get("QUERY_STRING", "")
        if "X-Amz-Signature=" in query:
            refusal = self.refusal(environ, query)
            if refusal:
                code, message = refusal
                body = (
                    f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
                    f"<Message>{message}</Message></Error>"
                ).encode()
                start_response(
                    "403 Forbidden", [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
                )
                return [body]
        return self.app(environ, start_response)

    def refusal(self, environ, query):
        pairs = parse_qsl(query, keep_blank_values=True)
        params = dict(pairs)
        try:
            access_key, date, region, service, _terminator = params["X-Amz-Credential"].split("/")
            signed_at = datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            expires = int(params["X-Amz-Expires"])
        except (KeyError, ValueError):
            return "AuthorizationQueryParametersError", "Malformed presigned URL."
        if self.clock() > signed_at + timedelta(seconds=expires):
            return "AccessDenied", "Request has expired"
        secret = self.credentials.get(access_key)
        if secret is None:
            return "InvalidAccessKeyId", "The access key does not exist."
        raw_path = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
        canonical_query = "&".join(
            f"{_encode(key)}={_encode(value)}" for key, value in sorted(pairs) if key != "X-Amz-Signature"
        )
        signed_headers = params.get("X-Amz-SignedHeaders", "host").split(";")
        headers = {"host": environ.get("HTTP_HOST", "")}
        canonical_headers = "".join(f"{name}:{headers.get(name, _header(environ, name))}\n" for name in signed_headers)
        canonical_request = "\n".join(
            [
                environ["REQUEST_METHOD"],
                raw_path.split("?", 1)[0],
                canonical_query,
                canonical_headers,
                ";".join(signed_headers),
                "UNSIGNED-PAYLOAD",
            ]
        )
        scope = f"{date}/{region}/{service}/aws4_request"
        string_to_sign = "\n".join(
            [ALGORITHM, params["X-Amz-Date"], scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
        )
        key = f"AWS4{secret}".encode()
        for part in (date, region, service, "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, params.get("X-Amz-Signature", "")):
            return (
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        return None


def _encode(text):
    return quote(text, safe="-_.~")


def _header(environ, name):
    return environ.get("HTTP_" + name.upper().replace("-", "_"), "").strip()


def make_app(clock=None):
    return PresignedUrlCheck(DomainDispatcherApplication(create_backend_app), {ACCESS_KEY: SECRET_KEY}, clock=clock)


def storage_url(host, port, bucket, prefix=""):
    """The portal's STORAGE_URL for a bucket of this server."""
    path = f"{bucket}/{prefix}".rstrip("/")
    return f"s3+http://{ACCESS_KEY}:{SECRET_KEY}@{host}:{port}/{path}"


@contextlib.contextmanager
def running_server(host="127.0.0.1", port=0, clock=None):
    """An object store in a thread of this process; yields (host, port)."""
    server = make_server(host, port, make_app(clock), threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[:2]
    finally:
        server.shutdown()
        thread.join(timeout=10)


class _QuietHandler(MotoRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    arguments = parser.parse_args()
    server = make_server(arguments.host, arguments.port, make_app(), threaded=True, request_handler=_QuietHandler)
    print(f"S3-compatible test server on http://{arguments.host}:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

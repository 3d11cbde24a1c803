"""A local RFC 3161 time-stamping authority for the tests: `openssl ts -reply` behind a small HTTP server.

Its own root certificate (`ca_file`) and a time-stamping certificate it signed (critical extended key
usage `timeStamping`, as RFC 3161 asks) are made here with `cryptography`; each POSTed request is
answered by the openssl command line, as a real authority's software would. It embeds its own
certificate only: openssl writes a chain's certificates in the order given, not in the DER order a
SET OF requires, and rfc3161-client's strict parser refuses that. `fail` makes it answer 500, `seen`
counts the requests.
"""

import subprocess
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CONFIG = """
[ tsa ]
default_tsa = local
[ local ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, issuer, public_key, signing_key, *, ca, extensions=()):
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(signing_key, hashes.SHA256())


def _pem(path, obj):
    if isinstance(obj, x509.Certificate):
        path.write_bytes(obj.public_bytes(serialization.Encoding.PEM))
    else:
        path.write_bytes(
            obj.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )


class LocalTSA:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="local-tsa-"))
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca = _certificate("Test TSA root", "Test TSA root", ca_key.public_key(), ca_key, ca=True)
        tsa = _certificate(
            "Test TSA",
            "Test TSA root",
            tsa_key.public_key(),
            ca_key,
            ca=False,
            extensions=[(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True)],
        )
        _pem(self.folder / "ca.crt", ca)
        _pem(self.folder / "tsa.crt", tsa)
        _pem(self.folder / "tsa.key", tsa_key)
        (self.folder / "serial").write_text("01\n")
        (self.folder / "tsa.cnf").write_text(CONFIG.format(folder=self.folder))
        self.ca_file = str(self.folder / "ca.crt")
        self.fail = False
        self.seen = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/tsr"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def reply(self, query):
        """The DER reply of `openssl ts -reply` to a DER request."""
        with tempfile.TemporaryDirectory() as work:
            request, response = Path(work) / "request.tsq", Path(work) / "reply.tsr"
            request.write_bytes(query)
            subprocess.run(
                [
                    "openssl",
                    "ts",
                    "-reply",
                    "-config",
                    str(self.folder / "tsa.cnf"),
                    "-queryfile",
                    str(request),
                    "-out",
                    str(response),
                ],
                check=True,
                capture_output=True,
                timeout=30,
            )
            return response.read_bytes()

    def _handler(self):
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                authority.seen += 1
                query = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if authority.fail:
                    self.send_response(500)
                    self.end_headers()
                    return
                body = authority.reply(query)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

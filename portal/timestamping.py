"""RFC 3161 timestamps: proof from an outside authority (a TSA) that some bytes existed at a time.

The request and the response are built and read by `rfc3161-client` (Trail of Bits), which does no
networking: the request is posted here, with a bounded wait. A response is kept whole (DER bytes):
`check_timestamp` reads it back, checks that it stamps these bytes, and, given the authority's root
certificates, its signature and certificate chain.
"""

import hashlib
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

TIMEOUT_SECONDS = 10
# The message digests a response may stamp with, by object identifier.
DIGESTS = {
    "2.16.840.1.101.3.4.2.1": hashlib.sha256,
    "2.16.840.1.101.3.4.2.2": hashlib.sha384,
    "2.16.840.1.101.3.4.2.3": hashlib.sha512,
}


class TimestampError(Exception):
    """The authority could not be reached, refused, or answered something that does not stamp our bytes."""


@dataclass(frozen=True)
class CheckedTimestamp:
    at: datetime
    chain_checked: bool  # signature and certificates checked against the given roots


def request_timestamp(url, data):
    """The authority's DER response stamping sha256(`data`), or `TimestampError`."""
    request = (
        TimestampRequestBuilder()
        .data(data)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    http = urllib.request.Request(
        url, data=request.as_bytes(), headers={"Content-Type": "application/timestamp-query"}, method="POST"
    )
    try:
        with urllib.request.urlopen(http, timeout=TIMEOUT_SECONDS) as answer:
            body = answer.read(1024 * 1024)
    except OSError as error:
        raise TimestampError(f"the time-stamping authority at {url} did not answer: {error}") from error
    check_timestamp(body, data)
    try:
        if decode_timestamp_response(body).tst_info.nonce != request.nonce:
            raise TimestampError("the time-stamping authority answered another request (nonce)")
    except ValueError as error:
        raise TimestampError(f"unreadable timestamp: {error}") from error
    return body


def load_roots(path):
    """The certificates of a PEM file (the authority's root, and intermediates if any)."""
    return x509.load_pem_x509_certificates(Path(path).read_bytes()) if path else []


def check_timestamp(response, data, roots=()):
    """When the DER `response` says `data` existed, or `TimestampError` if it does not stamp `data`
    (or, with `roots`, if its signature or certificates do not check)."""
    try:
        decoded = decode_timestamp_response(response)
    except ValueError as error:
        raise TimestampError(f"unreadable timestamp: {error}") from error
    if decoded.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TimestampError(f"the time-stamping authority refused: status {decoded.status}")
    imprint = decoded.tst_info.message_imprint
    digest = DIGESTS.get(imprint.hash_algorithm.dotted_string)
    if digest is None:
        raise TimestampError(f"the timestamp uses an unknown digest ({imprint.hash_algorithm.dotted_string})")
    if imprint.message != digest(data).digest():
        raise TimestampError("the timestamp stamps other bytes")
    if roots:
        builder = VerifierBuilder()
        for root in roots:
            builder = builder.add_root_certificate(root)
        try:
            builder.build().verify_message(decoded, data)
        except VerificationError as error:
            raise TimestampError(f"the timestamp's signature does not check: {str(error)[:160]}") from error
    return CheckedTimestamp(at=decoded.tst_info.gen_time, chain_checked=bool(roots))

"""Fuzzing the referential reader: whatever the bytes, a list of problems or a document, in bounded time.

Hypothesis mutates the small valid referential (inserts YAML's special tokens, hostile bytes and
random bytes, deletes, duplicates lines, truncates) and also writes short texts from YAML's own
alphabet. `read_referential_file` must either return a document or raise `ReferentialInvalid`
whose problems each carry a message: never another exception (a traceback for the user), and
never run past the hang guard.
"""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.exceptions import ReferentialInvalid
from diagnostics.validation import read_referential_file
from tests.diagnostics.conftest import SMALL_REFERENTIAL
from tests.diagnostics.factories import THEME_CODES
from tests.hang_guard import fails_after

pytestmark = pytest.mark.usefixtures("english")

SOURCE = SMALL_REFERENTIAL.read_bytes()
LINES = SOURCE.splitlines(keepends=True)
# Seconds one example may take; a valid read of this file takes a few hundredths.
BOUND = 5

TOKENS = [
    b"&a ", b"*a", b"&b [*a, *a, *a] ", b"[", b"]", b"{", b"}", b": ", b"- ", b"? ", b", ", b"<<: ",
    b"---\n", b"...\n", b"%YAML 1.1\n", b'"', b"'", b"#", b"|\n", b">-\n", b"\t", b"\n", b"    ",
    b"!!python/object/apply:os.system [x] ", b"!!binary ", b"!!set ", b"!!timestamp ", b"!custom ",
    b"\x00", b"\x07", b"\x1b", b"\xff", b"\xe9", b"\xef\xbb\xbf", b"\xc3", b"\xed\xa0\x80",
    b"9" * 5000, b"2026-13-45", b"1e99999", b".inf", b"~", b"null", b"yes", b"off", b"0x1F", b"0o17",
    b"[" * 1000, b"- " * 50,
]  # fmt: skip


@st.composite
def mutated_referential(draw):
    data = bytearray(SOURCE)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["value", "insert", "delete", "replace", "duplicate line", "truncate"]))
        at = draw(st.integers(0, len(data)))
        if kind == "value":  # a value after "key: " replaced by a token: where types and tags are read
            lines = bytes(data).splitlines(keepends=True)
            keyed = [index for index, line in enumerate(lines) if b": " in line]
            if keyed:
                index = draw(st.sampled_from(keyed))
                key = lines[index].split(b": ", 1)[0]
                lines[index] = key + b": " + draw(st.sampled_from(TOKENS)) + b"\n"
                data = bytearray(b"".join(lines))
        elif kind == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=8)))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "duplicate line":
            line = draw(st.sampled_from(LINES))
            data[at:at] = line * draw(st.integers(1, 3))
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


YAML_ALPHABET = st.sampled_from(list("abc:-?[]{},&*!|>'\"#%@` \t\n0129.~") + ["fr", "en", "axes", "code", "é"])
yaml_like_text = st.lists(YAML_ALPHABET, max_size=400).map(lambda parts: "".join(parts).encode("utf-8"))


def read_bytes_as_a_referential(data):
    with tempfile.NamedTemporaryFile(suffix=".yaml") as handle:
        handle.write(data)
        handle.flush()
        with fails_after(BOUND, "reading a fuzzed referential"):
            try:
                document = read_referential_file(Path(handle.name), theme_codes=set(THEME_CODES))
            except ReferentialInvalid as error:
                assert error.problems
                assert all(str(problem.message) for problem in error.problems)
                return None
    assert isinstance(document, dict)
    return document


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(mutated_referential())
def test_a_mutated_referential_is_read_or_refused_with_problems(data):
    read_bytes_as_a_referential(data)


@FUZZ
@given(yaml_like_text)
def test_any_short_yaml_like_text_is_read_or_refused_with_problems(data):
    read_bytes_as_a_referential(data)


def test_the_unmutated_source_is_read():
    assert read_bytes_as_a_referential(SOURCE)["code"] == "test-referential"

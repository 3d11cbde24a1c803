"""The limits every file the portal accepts goes through, before anything reads its content.

A file from outside (a referential imported by staff today; evidence and application documents
tomorrow) is hostile until proved otherwise. Three steps, each cheap and bounded:

1. `read_limited`: its size is checked before it is read (`UPLOAD_MAX_BYTES`, 2 MiB by default),
   and no more than the limit is ever read, even from a file that grows meanwhile;
2. `decode_text`: a text file must be UTF-8 without NUL or control characters; the line of the
   first bad byte is reported;
3. `load_yaml`: YAML without anchors nor aliases (a few hundred bytes of nested aliases expand to
   billions of nodes for any code that walks the result), without collections nested deeper than
   `MAX_DEPTH` and without more than `MAX_NODES` values, refused in a first pass over the parser's
   events, before any node is built; then the safe loader builds the document, and a value it
   cannot build (a 5,000-digit number, the 45th of a month, a tag) is reported at its line.

Each refusal is a `FileRejected` with the line (when there is one) and a message in the user's
language; nothing else escapes from these functions for any input.
"""

import codecs
import os
import re

import yaml
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Collections nested deeper than this are refused. The referential, the deepest document the
# portal reads, nests 7 levels (axes → questions → levels → description → fr).
MAX_DEPTH = 20
# More values (scalars and collections) than this are refused: the shipped referential holds 6,600;
# a referential of 500 questions, about 80,000. Reading 100,000 takes about a second.
MAX_NODES = 100_000
# What YAML itself refuses (yaml.reader.Reader.NON_PRINTABLE), found here first to report its line.
NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class FileRejected(Exception):
    """A file refused before its content is used: `message` says why, `line` where (or None)."""

    def __init__(self, message, line=None):
        self.message = message
        self.line = line
        super().__init__(f"{line}: {message}" if line else message)


def max_bytes_allowed():
    return settings.UPLOAD_MAX_BYTES


def _too_large(size, limit):
    return FileRejected(
        _("the file is too large (%(size)s bytes): at most %(limit)s are accepted")
        % {"size": number_format(size, force_grouping=True), "limit": filesizeformat(limit)}
    )


def read_limited(source, *, max_bytes=None):
    """The bytes of `source` (a path, or an open binary file such as an upload), at most `max_bytes`
    (default `UPLOAD_MAX_BYTES`); a larger file is refused before its content is read."""
    limit = max_bytes if max_bytes is not None else max_bytes_allowed()
    if isinstance(source, str | os.PathLike):
        size = os.stat(source).st_size
        if size > limit:
            raise _too_large(size, limit)
        with open(source, "rb") as stream:
            return _read_at_most(stream, limit)
    declared = getattr(source, "size", None)
    if declared is not None and declared > limit:
        raise _too_large(declared, limit)
    return _read_at_most(source, limit)


def _read_at_most(stream, limit):
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large(len(data), limit)
    return data


def _line_at(data, offset):
    return data.count(b"\n" if isinstance(data, bytes) else "\n", 0, offset) + 1


def decode_text(data):
    """`data` as text: UTF-8 (a leading byte-order mark is dropped), no NUL nor control characters."""
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileRejected(
            _("not UTF-8 text: the byte 0x%(byte)02X cannot start or continue a character (save the file as UTF-8)")
            % {"byte": data[error.start]},
            line=_line_at(data, error.start),
        ) from None
    bad = NON_PRINTABLE.search(text)
    if bad is not None:
        character = bad.group()
        if character == "\x00":
            message = _("the file contains a NUL character (byte 0): it is not a text file")
        else:
            message = _("the file contains the control character U+%(code)04X, which a text file may not hold") % {
                "code": ord(character)
            }
        raise FileRejected(message, line=_line_at(text, bad.start()))
    return text


# libyaml's parser when PyYAML was built with it (its wheels are): the same events, several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_COLLECTION_START = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _check_events(text):
    """Read the parser's events once, without building anything: refuse anchors and aliases, nesting
    deeper than `MAX_DEPTH` and more than `MAX_NODES` values, at the first one met."""
    loader = _Loader(text)
    depth = nodes = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise FileRejected(
                    _("anchors and aliases (&name, *name) are not accepted: write each value out in full"), line=line
                )
            if isinstance(event, (yaml.ScalarEvent, *_COLLECTION_START)):
                nodes += 1
                if nodes > MAX_NODES:
                    raise FileRejected(_("more than %(count)s values in the file") % {"count": MAX_NODES}, line=line)
            if isinstance(event, _COLLECTION_START):
                depth += 1
                if depth > MAX_DEPTH:
                    raise FileRejected(_("nested more than %(depth)d levels deep") % {"depth": MAX_DEPTH}, line=line)
            elif isinstance(event, _COLLECTION_END):
                depth -= 1
    finally:
        loader.dispose()


class _CheckedLoader(_Loader):
    """The safe loader, whose values that cannot be built are reported at their line."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError, AttributeError):
            # The safe constructors raise these for values they cannot build (AttributeError: an
            # explicit `!!timestamp` on a text that is no date); PyYAML lets them escape without a line.
            raise FileRejected(_unreadable_value_message(node), line=node.start_mark.line + 1) from None

    def construct_unknown_tag(self, node):
        raise FileRejected(
            _("the tag %(tag)s is not accepted: plain YAML values only") % {"tag": node.tag},
            line=node.start_mark.line + 1,
        )


_CheckedLoader.add_constructor(None, _CheckedLoader.construct_unknown_tag)


def _unreadable_value_message(node):
    kind = node.tag.rsplit(":", 1)[-1]
    if kind in ("int", "float"):
        return _("this number is too long to be read (%(count)s characters)") % {"count": len(node.value)}
    if kind == "timestamp":
        return _("“%(value)s” is not a real date (put it in quotes if it is a text)") % {"value": node.value}
    return _("this value cannot be read")


def load_yaml(text):
    """(document, root node) of one YAML document, or `FileRejected` with the line of the problem.

    The node tree (with each node's line) is returned for callers that report places in the file.
    """
    try:
        _check_events(text)
        loader = _CheckedLoader(text)
        try:
            node = loader.get_single_node()
            document = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = " ".join(part for part in (error.context, error.problem) if part)
        raise FileRejected(
            _("YAML syntax error: %(detail)s") % {"detail": detail}, line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as error:
        raise FileRejected(_("YAML error: %(detail)s") % {"detail": error}) from None
    except (ValueError, TypeError, OverflowError):  # raised while filling a collection
        raise FileRejected(_("this value cannot be read")) from None
    return document, node

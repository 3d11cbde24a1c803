"""The YAML reader every uploaded or loaded file goes through: a value it cannot build is refused with
its line and a message, never an exception that escapes."""

import pytest

from portal.file_limits import FileRejected, load_yaml


@pytest.mark.parametrize("text", ["when: !!timestamp ''\n", "when: !!timestamp not-a-date\n"])
def test_an_explicit_timestamp_on_a_text_is_refused_at_its_line(text):
    with pytest.raises(FileRejected) as refused:
        load_yaml("title: x\n" + text)
    assert refused.value.line == 2
    assert "n'est pas une date qui existe" in str(refused.value)


def test_an_impossible_date_is_refused_at_its_line():
    with pytest.raises(FileRejected) as refused:
        load_yaml("when: 2026-13-45\n")
    assert refused.value.line == 1


def test_an_unknown_tag_is_refused():
    with pytest.raises(FileRejected) as refused:
        load_yaml("run: !!python/object:os.system echo\n")
    assert "n'est pas acceptée" in str(refused.value)


def test_a_plain_document_is_read_with_its_node_tree():
    document, node = load_yaml("title: Industrie\ncount: 3\n")
    assert document == {"title": "Industrie", "count": 3}
    assert node.start_mark.line == 0

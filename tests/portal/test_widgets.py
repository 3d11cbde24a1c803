"""PlainSelect writes the markup Django's Select renders (options, selection, groups, attributes,
escaping), without a template per option."""

from html.parser import HTMLParser

import pytest
from django import forms

from portal.widgets import PlainSelect


class Tags(HTMLParser):
    """The tags, their attributes (in any order) and the text, whitespace between tags ignored."""

    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        self.items.append(("start", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.items.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data))


def structure(html):
    parser = Tags()
    parser.feed(html)
    return parser.items


CHOICES = [("", "Toutes"), (1, "Tôlerie & usinage"), ("groupe", [(2, 'Pièces "fines"'), (3, "<b>")])]


@pytest.mark.parametrize("value", [None, "", "1", "3", "absent"])
@pytest.mark.parametrize("attrs", [{}, {"class": "form-select", "required": True}, {"aria-describedby": "aide"}])
def test_the_markup_is_the_one_of_djangos_select(value, attrs):
    ours = PlainSelect(attrs=attrs, choices=CHOICES).render("programme", value, attrs={"id": "id_programme"})
    django = forms.Select(attrs=attrs, choices=CHOICES).render("programme", value, attrs={"id": "id_programme"})
    assert structure(ours) == structure(django)
    assert "<b>" not in ours and "&lt;b&gt;" in ours

"""The `typo` filter: French spacing before : ; ! ? in French, English left alone."""

import pytest
from django.template import Context, Template
from django.utils import translation

NNBSP = "\u202f"


def render(source, **context):
    return Template("{% load french %}" + source).render(Context(context))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Régions :", f"Régions{NNBSP}:"),
        ("Ma région: Bretagne", f"Ma région{NNBSP}: Bretagne"),
        ("Vraiment ? Oui ! Bien ; suite", f"Vraiment{NNBSP}? Oui{NNBSP}! Bien{NNBSP}; suite"),
        (f"Déjà{NNBSP}: juste", f"Déjà{NNBSP}: juste"),
    ],
)
def test_french_gets_a_narrow_no_break_space_before_the_high_signs(text, expected):
    with translation.override("fr"):
        assert render("{{ text|typo }}", text=text) == expected


def test_english_is_left_as_written():
    with translation.override("en"):
        assert render('{{ _("Regions:")|typo }}') == "Regions:"


def test_addresses_times_and_entities_are_not_touched():
    with translation.override("fr"):
        assert (
            render("{{ text|typo }}", text="https://exemple.fr à 10:30 & co") == "https://exemple.fr à 10:30 &amp; co"
        )


def test_a_block_of_markup_is_fixed_and_stays_markup():
    with translation.override("fr"):
        assert render("{% filter typo %}<strong>Langues :</strong> <em>fr</em>{% endfilter %}") == (
            f"<strong>Langues{NNBSP}:</strong> <em>fr</em>"
        )


def test_text_from_users_is_still_escaped():
    with translation.override("fr"):
        assert render("{{ text|typo }}", text="<b>Nom :</b>") == f"&lt;b&gt;Nom{NNBSP}:&lt;/b&gt;"

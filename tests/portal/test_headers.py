"""Security headers and the Content-Security-Policy; no template may need an inline script or style."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.portal.test_settings import run_with

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"


def policy(response):
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url_name", ["home", "login", "portal:signup"])
def test_every_page_carries_a_strict_script_policy(client, url_name):
    csp = policy(client.get(reverse(url_name)))
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert set(csp["img-src"]) == {"'self'", "data:"}
    assert csp["style-src"] == ["'self'"]
    assert "'unsafe-eval'" not in " ".join(sum(csp.values(), []))
    assert "'unsafe-inline'" not in " ".join(sum(csp.values(), []))


def test_every_page_denies_the_browser_features_the_portal_never_uses(client):
    policy = client.get(reverse("home")).headers["Permissions-Policy"]
    features = dict(part.strip().split("=") for part in policy.split(","))
    assert {"camera", "microphone", "geolocation", "payment", "usb", "fullscreen"} <= set(features)
    assert set(features.values()) == {"()"}


def test_signed_in_pages_carry_it_too(client, owner):
    client.force_login(owner)
    response = client.get(reverse("portal:my_company"), follow=True)
    assert policy(response)["script-src"] == ["'self'"]


def test_frame_referrer_and_sniffing_headers(client):
    response = client.get(reverse("home"))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_htmx_is_configured_for_the_policy(client):
    html = client.get(reverse("home")).content.decode()
    match = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    config = json.loads(match.group(1))
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False
    assert html.index('name="htmx-config"') < html.index("htmx.min.js")


def test_production_adds_hsts_and_redirects_to_https():
    probe = """
import json, django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/nulle-part/", HTTP_HOST="portail.example.fr")
secure = client.get("/nulle-part/", HTTP_HOST="portail.example.fr", secure=True)
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Location", "")],
    "secure": secure.status_code,
    "hsts": secure.headers.get("Strict-Transport-Security", ""),
    "csp": secure.headers.get("Content-Security-Policy", ""),
    "frame": secure.headers.get("X-Frame-Options", ""),
    "referrer": secure.headers.get("Referrer-Policy", ""),
    "nosniff": secure.headers.get("X-Content-Type-Options", ""),
}))
"""
    result = run_with(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": "a-real-secret-key-for-the-header-probe-" + "x7Qp2!vZ" * 4,
            "ALLOWED_HOSTS": "portail.example.fr",
            "DATABASE_URL": "sqlite:///:memory:",
        },
        "-c",
        probe,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["plain"] == [301, "https://portail.example.fr/nulle-part/"]
    assert values["secure"] == 404
    assert values["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in values["csp"]
    assert "frame-ancestors 'none'" in values["csp"]
    assert values["frame"] == "DENY"
    assert values["referrer"] == "same-origin"
    assert values["nosniff"] == "nosniff"


FORWARDED_PROBE = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/nulle-part/", HTTP_HOST="portail.example.fr", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps([response.status_code, response.headers.get("Location", "")]))
"""
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-real-secret-key-for-the-header-probe-" + "x7Qp2!vZ" * 4,
    "ALLOWED_HOSTS": "portail.example.fr",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_without_a_declared_proxy_x_forwarded_proto_is_not_believed():
    """A client talking plain HTTP cannot claim HTTPS: it is still sent to the HTTPS address."""
    result = run_with({**PRODUCTION, "TRUSTED_PROXY_COUNT": "0"}, "-c", FORWARDED_PROBE)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [301, "https://portail.example.fr/nulle-part/"]


def test_behind_a_declared_proxy_its_x_forwarded_proto_says_the_request_was_https():
    result = run_with({**PRODUCTION, "TRUSTED_PROXY_COUNT": "1"}, "-c", FORWARDED_PROBE)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [404, ""]


# --- No inline script anywhere ------------------------------------------------------------------------

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
DATA_BLOCK = re.compile(r"type\s*=\s*[\"']application/(ld\+)?json[\"']", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
HTMX_INLINE = re.compile(r"\shx-on[:\-]|\shx-vals\s*=\s*[\"']\s*js:|\bhx-vars\b", re.IGNORECASE)
JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']\s*javascript:", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def template_files():
    return sorted(TEMPLATES.rglob("*.html"))


def offences(text):
    found = []
    for tag in SCRIPT_TAG.findall(text):
        if "src=" not in tag and not DATA_BLOCK.search(tag):
            found.append(f"inline script {tag}")
    for tag in re.findall(r"<[a-zA-Z][^>]*>", text, re.DOTALL):
        for pattern, what in ((EVENT_HANDLER, "event-handler attribute"), (HTMX_INLINE, "htmx inline code")):
            if pattern.search(tag):
                found.append(f"{what} in {tag[:80]}")
        if JS_URL.search(tag):
            found.append(f"javascript: URL in {tag[:80]}")
        if STYLE_ATTRIBUTE.search(tag):
            found.append(f"style attribute in {tag[:80]}")
    if STYLE_ELEMENT.search(text):
        found.append("<style> element")
    return found


def test_templates_are_found():
    assert len(template_files()) > 20


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_holds_an_inline_script_handler_or_style(path):
    assert offences(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        "<body onload='x()'>",
        '<div hx-on:click="x()">',
        '<a href="javascript:alert(1)">',
        '<div class="progress-bar" style="width: 40%">',
        "<style>.x { color: red }</style>",
    ],
)
def test_the_scanner_catches_what_it_must(html):
    assert offences(html)


@pytest.mark.parametrize(
    "html",
    [
        "<script src=\"{% static 'js/portal.js' %}\" defer></script>",
        '<script type="application/json" id="data">{}</script>',
        '<button data-action="print" class="btn">',
        '<input name="token" autocomplete="one-time-code">',
    ],
)
def test_the_scanner_lets_what_is_safe_pass(html):
    assert offences(html) == []

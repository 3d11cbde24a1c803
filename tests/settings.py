"""The suite's settings: the portal's own, with what every test wants and production must never have.

The one place tests change a setting for the whole run (pyproject.toml points pytest here); a test
that needs another value overrides it with pytest-django's `settings` fixture.
"""

from portal.settings import *  # noqa: F403

# Factories and fixtures set a password on every user they make: a cheap hash keeps the suite fast. The
# test of what production stores (tests/portal/test_signup.py) puts Django's default hashers back.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

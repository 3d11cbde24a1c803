"""Views of the identity layer, one module per part; thin: parse, call a selector or a service, render.

- accounts.py: home, sign-up, the company page, invitations;
- security.py: the account's security page and the two-factor pages;
- privacy.py: the privacy notice and a company's data, export and closure (GDPR).
"""

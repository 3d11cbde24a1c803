"""The portal's REST API (`/api/v1/`): the shared kit every app's API module builds on.

Django REST framework with drf-spectacular for the OpenAPI 3 schema. This package holds what is
common to every endpoint: personal access tokens with a scope (`models`, `tokens`), the bearer
authentication and scope check, throttling, pagination, the one mapping of errors to HTTP
(`errors`), the schema's shared parts (`schema`) and the documentation page. Each app exposes its
own endpoints in `<app>/api/`, calling the same selectors, rules and services as its pages;
`portal/urls.py` wires them under `/api/v1/`.
"""

"""Guided first steps: the one call to action a company page shows while the company has not done
the next thing it should (its first self-diagnostic).

`portal` does not know the apps above it: they register a provider from `AppConfig.ready()`
(`diagnostics` registers "start your diagnostic"). The page shows the first step a provider returns.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FirstStep:
    """A call to action: a heading, one sentence, and a button that GETs `url` or POSTs to it."""

    title: str
    text: str
    url: str
    button: str
    method: str = "get"


_providers = []


def register_first_step(provider):
    """`provider(user, company)` returns the FirstStep the company's page should offer, or None."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def first_step_for(user, company):
    """The first call to action a provider offers for this user and company, or None."""
    for provider in _providers:
        step = provider(user, company)
        if step is not None:
            return step
    return None

"""The portal's session store: Django's cached_db store whose rows also record the user.

Sessions are read from the cache and written through to the database as before; each row carries
the id of the logged-in user (`_auth_user_id`), so all of one person's sessions can be ended at once
(`portal.security.end_sessions`). Set as `SESSION_ENGINE = "portal.sessions"`.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore


class SessionStore(CachedDBStore):
    @classmethod
    def get_model_class(cls):
        from portal.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = _user_id(data)
        return instance

    async def acreate_model_instance(self, data):
        instance = await super().acreate_model_instance(data)
        instance.user_id = _user_id(data)
        return instance


def _user_id(data):
    try:
        return int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None

"""The portal's authentication backend: Django's ModelBackend whose `get_user` reads the request's
viewer (memberships, officer posts, what the apps registered: `portal.viewer`) with the user row,
so that the rules of a request cost no query to learn who the user is."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from portal.viewer import viewer_columns


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.annotate(**viewer_columns()).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

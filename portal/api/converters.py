"""Path converters of the API's addresses.

`<id:pk>`: a row's id, 1 to 18 digits. A longer number names no row: the address does not match
(JSON 404) instead of reaching the database with a number its integer columns cannot hold.
"""

from django.urls import register_converter

from portal.api.filters import MAX_ID


class ObjectIdConverter:
    regex = f"[0-9]{{1,{len(str(MAX_ID))}}}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(ObjectIdConverter, "id")

"""Query parameters an endpoint does not take are refused (400), so that a misspelt filter is noticed
instead of silently returning everything. Mixed into every API view (before DRF's class)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.mixins import ListModelMixin


class KnownQueryParameters:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.known_query_parameters())
        if unknown:
            raise ValidationError({name: [_("This endpoint takes no such parameter.")] for name in unknown})

    def known_query_parameters(self):
        names = set()
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            names |= set(filterset_class.base_filters)
        paginator = getattr(self, "paginator", None)
        if isinstance(self, ListModelMixin) and paginator is not None:
            names |= {paginator.page_query_param, paginator.page_size_query_param}
        return names

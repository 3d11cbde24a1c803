"""Pagination of every API list: pages of `page_size` items (50 by default, 200 at most)."""

from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

"""The regions app's API endpoints (`/api/v1/`): programmes and applications as the officers (and
staff) see them on their pages, the decisions through the same services, and a company's own
applications."""

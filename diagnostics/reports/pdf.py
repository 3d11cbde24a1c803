"""HTML → PDF with WeasyPrint: a tagged PDF/UA-1 document whose resources come from our static files only."""

import logging
from dataclasses import dataclass

from diagnostics.reports.fetcher import BASE_URL, static_url_fetcher

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "optimize_images": False}


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int


def html_to_pdf(html, *, url_fetcher=None):
    """Lay out `html` (its `<html lang>` and `<title>` become the PDF's language and title) and write the PDF.

    WeasyPrint is imported here, inside the render, never at a worker's start: importing it before
    the prefork pool forks its children has crashed workers (Kozea/WeasyPrint#684).
    """
    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per page otherwise
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher or static_url_fetcher()).render(
        **PDF_OPTIONS
    )
    return RenderedPdf(data=document.write_pdf(**PDF_OPTIONS), page_count=len(document.pages))

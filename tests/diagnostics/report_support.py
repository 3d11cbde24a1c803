"""Helpers of the PDF report tests: submitted diagnostics with comments, PDF text and structure."""

import io

from pypdf import PdfReader

from diagnostics import services
from diagnostics.models import Answer
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all


def submit(company, owner, *, referential=None, level=None, comments=None):
    """Answer every question (levels vary unless `level` is given), add `comments` {question code: text}, submit."""
    referential = referential or PublishedReferentialFactory(axes=3, questions=3)
    diagnostic = DiagnosticFactory(company=company, referential=referential, started_by=owner)
    answer_all(diagnostic, level=level if level is not None else (lambda q: q.order % 5), by=owner)
    for code, text in (comments or {}).items():
        Answer.objects.filter(diagnostic=diagnostic, question__code=code).update(comment=text)
    return services.submit_diagnostic(diagnostic=diagnostic, by=owner)


def pdf_reader(data):
    return PdfReader(io.BytesIO(data))


def pdf_text(data):
    """The PDF's text, whitespace normalised (lines wrap anywhere)."""
    return " ".join(" ".join(page.extract_text() or "" for page in pdf_reader(data).pages).split())

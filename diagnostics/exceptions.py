"""Errors of the diagnostics app: the portal's hierarchy (`portal.errors`), and the refusals of its own,
so that callers (views, the admin, commands, the API) can tell them apart. Each message is meant for
the person who tried the action, in their language; nothing was written."""

from django.utils.translation import gettext as _

from portal.errors import IllegalTransition, InvalidInput, NotAllowed, ServiceError

__all__ = [
    "ConsensusPending",
    "DiagnosticError",
    "DiagnosticNotDraft",
    "DraftAlreadyExists",
    "IllegalTransition",
    "IncompleteDiagnostic",
    "InvalidAnswer",
    "InvalidEvidence",
    "InvalidInput",
    "NoPreviousDiagnostic",
    "NoPublishedReferential",
    "NotAllowed",
    "PlanRefused",
    "ReferentialInvalid",
    "ReferentialLocked",
    "ReferentialVersionExists",
    "ReportError",
    "ReportUnavailable",
    "RespondentRefused",
    "SharingRefused",
    "TransientReportError",
]


class DiagnosticError(ServiceError):
    """Base of the diagnostics app's own refusals."""

    http_status = 409


# --- the referential --------------------------------------------------------------------------------


class ReferentialLocked(IllegalTransition):
    """A published or retired referential version, or a row that belongs to one, was about to change."""


class ReferentialVersionExists(DiagnosticError):
    """A referential with this code and version already exists."""


class ReferentialInvalid(InvalidInput):
    """The content of a referential (a file, or a draft about to be published) has problems.

    `problems` lists every one of them, each with its place in the document.
    """

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# --- a company's diagnostics ------------------------------------------------------------------------


class NoPublishedReferential(DiagnosticError):
    """No version of the referential is published: there is nothing to answer."""


class DraftAlreadyExists(DiagnosticError):
    """The company already has a draft; `draft` is it."""

    def __init__(self, message, draft=None):
        super().__init__(message)
        self.draft = draft


class NoPreviousDiagnostic(InvalidInput):
    """Starting from previous answers, but the company never submitted a diagnostic."""


class DiagnosticNotDraft(IllegalTransition):
    """The diagnostic is submitted: its answers are frozen."""


class InvalidAnswer(InvalidInput):
    """The answer does not fit the question: a level outside 0..5, "not applicable" where it is not allowed,
    a question of another referential version, a comment too long."""


class InvalidEvidence(InvalidInput):
    """Evidence refused before anything was stored: a file of a type not accepted (told by its content),
    too large, one too many for the answer, a link that is not a web address."""


class IncompleteDiagnostic(InvalidInput):
    """Some questions are neither answered nor marked not applicable; `missing` lists them (with their axis)."""

    def __init__(self, missing):
        self.missing = list(missing)
        codes = ", ".join(question.code for question in self.missing)
        super().__init__(
            _("%(count)s question(s) still need an answer: %(codes)s.") % {"count": len(self.missing), "codes": codes}
        )


class ConsensusPending(InvalidInput):
    """Respondents answered questions whose company answer the lead has not settled yet; `pending` lists them."""

    def __init__(self, pending):
        self.pending = list(pending)
        codes = ", ".join(question.code for question in self.pending)
        super().__init__(
            _("Settle the company's answer where respondents answered before submitting: %(codes)s.") % {"codes": codes}
        )


class RespondentRefused(InvalidInput):
    """This person cannot be invited as a respondent (already invited, not a member, unknown axis...)."""


class SharingRefused(DiagnosticError):
    """The sharing scope of this diagnostic cannot change (a draft)."""


class PlanRefused(DiagnosticError):
    """A change of an action plan was refused (an owner outside the company, a recommendation of
    another referential, an action already in the plan…); the message says which."""


# --- reports ----------------------------------------------------------------------------------------


class ReportError(DiagnosticError):
    """A report use case was refused; the message says why."""


class TransientReportError(ReportError):
    """Storage or database trouble that may pass: the task retries with backoff."""


class ReportUnavailable(ReportError):
    """Only a submitted diagnostic has a report."""

"""Typed errors of the diagnostics app, so callers (views, admin, commands) can tell them apart."""


class ReferentialLocked(Exception):
    """A published or retired referential version, or a row that belongs to one, was about to change."""


class IllegalTransition(Exception):
    """A referential version was asked to move to a status its current status does not lead to."""


class ReferentialVersionExists(Exception):
    """A referential with this code and version already exists."""


class ReferentialInvalid(Exception):
    """The content of a referential (a file, or a draft about to be published) has problems.

    `problems` lists every one of them, each with its place in the document.
    """

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

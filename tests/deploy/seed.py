"""Companies with fully answered drafts on a deployed stack's database (the release job published the
shipped referential), for the deployment tests: `python -m tests.deploy.seed COUNT PREFIX` prints one
JSON object per company: {"email", "password", "company", "diagnostic"}."""

import json
import os
import sys
import zlib


def main():
    count, prefix = int(sys.argv[1]), sys.argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import transaction

    from diagnostics import selectors
    from tests.diagnostics.factories import DiagnosticFactory, answer_all
    from tests.portal.factories import DEFAULT_PASSWORD, OwnerFactory, valid_siret

    referential = selectors.current_published_referential()
    with transaction.atomic():
        for number in range(count):
            owner = OwnerFactory(
                user__email=f"{prefix}-{number}@usine.example.fr",
                company__name=f"Usine {prefix} {number}",
                company__siret=valid_siret(zlib.crc32(prefix.encode()) % 1_000_000 * 100 + number),
            )
            diagnostic = DiagnosticFactory(company=owner.company, referential=referential, started_by=owner.user)
            answer_all(diagnostic, level=lambda question, number=number: (question.order + number) % 6, by=owner.user)
            line = {"email": owner.user.email, "password": DEFAULT_PASSWORD, "company": owner.company.name}
            print(json.dumps({**line, "diagnostic": diagnostic.pk}))


if __name__ == "__main__":
    main()

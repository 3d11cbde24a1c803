"""Refresh the French catalogue and fill in translations, safely while others do the same.

    .venv/bin/python scripts/translate.py                 # refresh, list the untranslated msgids
    .venv/bin/python scripts/translate.py fr.json         # refresh, then apply {"msgid": "msgstr", …}

Plural entries take a list: {"%(n)s day": ["%(n)s jour", "%(n)s jours"]}. An exclusive lock on
locale/.lock serialises concurrent runs so nobody's translations are lost.
"""

import fcntl
import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def refresh():
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fr",
            "--no-location",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=static/*",
            "--ignore=tests/*",
            "--ignore=bench/*",
            "--ignore=templates/admin/*",  # Django's admin templates, overridden: their strings are Django's
            "--verbosity=0",
        ],
        cwd=ROOT,
        check=True,
    )


def apply(translations):
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue:
        if entry.msgid not in translations:
            continue
        value = translations[entry.msgid]
        if entry.msgid_plural:
            entry.msgstr_plural = dict(enumerate(value))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save()


def untranslated():
    catalogue = polib.pofile(str(CATALOGUE))
    return [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def main():
    (ROOT / "locale").mkdir(exist_ok=True)
    with open(ROOT / "locale" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        refresh()
        if len(sys.argv) > 1:
            apply(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
        missing = untranslated()
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    print(f"{len(missing)} untranslated", file=sys.stderr)


if __name__ == "__main__":
    main()

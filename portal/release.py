"""The release job: what runs once per deployment, before any web or worker process starts.

`manage.py release` migrates the database, collects the static files (with their manifest in
production), makes sure the file storage answers (and creates the bucket of a new deployment), runs
the steps the apps register (diagnostics: publish the shipped referential when no version is
published), then `check --deploy`. Every step is idempotent: the job runs again at every upgrade.
Apps above `portal` add steps through `register_release_step`, so this module never imports them.
"""

_release_steps = []


def register_release_step(step):
    """Register a callable `step(write)` run by the release job after the migrations; `write(text)`
    prints a line of the job's log."""
    if step not in _release_steps:
        _release_steps.append(step)


def release_steps():
    return list(_release_steps)

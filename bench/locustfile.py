"""Locust users of the load benchmark (started by bench/load.py, which prepares the plan and reads the results).

- `SmeUser` (50): a company's member filling in its draft diagnostic, axis after axis: opens the axis
  page, then answers its questions one by one, each change autosaved as htmx does. In a few companies
  two colleagues answer the same draft at once, each as a respondent with answers of their own. Every autosave the
  server acknowledged (HTTP 200) is recorded with the value sent; bench/load.py compares them with the
  database at the end (answers lost).
- `OfficerUser` (5): regional officers browsing their dashboard (pages, filters, CSV export) and one
  Alliance staff member browsing the national dashboard.

The plan (BENCH_LOAD_PLAN, JSON written by bench/load.py) gives each user its logged-in session
cookies (a real login through the login form, and a real TOTP code for officers and staff), its
diagnostic and questions. The acknowledged autosaves are written to BENCH_LOAD_ACKS when the test stops.
"""

import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, events, task

from bench.load import ack_key

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text()) if os.environ.get("BENCH_LOAD_PLAN") else {}
# "diagnostic:question:respondent" (no respondent for the company's answer) -> [level or "na", comment]
# of the last acknowledged autosave; the key is bench.load.ack_key's
ACKS = {}
_sme_numbers = itertools.count()
_officer_numbers = itertools.count()


def _login(user, account):
    for name, value in account["cookies"].items():
        user.client.cookies.set(name, value)
    user.csrf = account["cookies"].get("csrftoken", "")


class SmeUser(HttpUser):
    fixed_count = len(PLAN.get("smes", ())) or 50
    wait_time = between(1.0, 3.0)  # a brisk user: one answer every 1 to 3 seconds

    def on_start(self):
        self.account = PLAN["smes"][next(_sme_numbers) % len(PLAN["smes"])]
        _login(self, self.account)
        self.steps = self._steps()

    def _steps(self):
        """Axis page, then each of its questions; over and over (a user revising their answers)."""
        for round_number in itertools.count():
            for axis in self.account["axes"]:
                yield ("page", axis, None, round_number)
                for question in axis["questions"]:
                    yield ("answer", axis, question, round_number)

    @task
    def next_step(self):
        kind, axis, question, round_number = next(self.steps)
        if kind == "page":
            url = f"/diagnostics/{self.account['diagnostic']}/axe/{axis['code']}/"
            self.client.get(url, name="questionnaire page")
            return
        level = random.choice(["0", "1", "2", "3", "4", "5"] + (["na"] if question["na"] else []))
        comment = f"load {round_number} {random.randint(0, 10**6)}"
        url = f"/diagnostics/{self.account['diagnostic']}/reponse/{question['pk']}/"
        data = {f"q{question['pk']}-choice": level, f"q{question['pk']}-comment": comment}
        headers = {"X-CSRFToken": self.csrf, "HX-Request": "true"}
        with self.client.post(url, data=data, headers=headers, name="autosave", catch_response=True) as response:
            if response.status_code == 200:
                ACKS[ack_key(self.account, question["pk"])] = [level, comment]
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")


class OfficerUser(HttpUser):
    fixed_count = 5
    wait_time = between(2.0, 5.0)

    def on_start(self):
        self.account = PLAN["officers"][next(_officer_numbers) % len(PLAN["officers"])]
        _login(self, self.account)

    @task(4)
    def dashboard(self):
        if self.account["national"]:
            self.client.get("/regions/national/", name="national dashboard")
        else:
            self.client.get("/regions/tableau-de-bord/", name="regional dashboard")

    @task(2)
    def dashboard_filtered(self):
        path = "/regions/national/" if self.account["national"] else "/regions/tableau-de-bord/"
        status = random.choice(["accepted", "applied", "completed"])
        self.client.get(f"{path}?status={status}&page=2", name="dashboard, filtered, page 2")

    @task(1)
    def export(self):
        self.client.get("/regions/tableau-de-bord/candidatures.csv", name="export of enrolments (CSV)")


@events.test_stop.add_listener
def _write_acks(environment, **_kwargs):
    path = os.environ.get("BENCH_LOAD_ACKS")
    if path:
        with open(path, "w") as file:
            json.dump(ACKS, file)

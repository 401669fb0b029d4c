"""The load `make loadtest` drives (benchmarks/loadtest.py writes the plan this reads, and reads what it records).

    LOADTEST_PLAN=plan.json locust --headless -f benchmarks/locustfile.py --users 40 --spawn-rate 40 --run-time 60s

Each user talks to one of the plan's hosts (the two app instances, alternately) at its share of the offered rate. Every
request is recorded as [start time, kind, status, ms], and every acknowledged write with what it wrote,
into the plan's `results` file when the run stops; locust's own pass/fail counting is not used.
"""

import itertools
import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, constant, constant_throughput, events, task

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
HOSTS = itertools.cycle(PLAN["hosts"])
TOKENS = itertools.cycle(PLAN["tokens"])
OWN_CLAIMS = iter(PLAN["own_claims"])  # one claim per staff writer, edited by it alone
NUMBERS = itertools.count()
REQUESTS: list[list] = []
ACKNOWLEDGED: list[dict] = []


@events.request.add_listener
def record(name, response_time, response, start_time, **kwargs):
    REQUESTS.append([start_time, name, getattr(response, "status_code", 0) or 0, response_time])


@events.test_stop.add_listener
def save(**kwargs):
    Path(PLAN["results"]).write_text(json.dumps({"requests": REQUESTS, "acknowledged": ACKNOWLEDGED}))


class Newsroom(FastHttpUser):
    abstract = True
    # Each user at its share of the offered rate (the plan's), so the servers answer a rate, not as fast as they can:
    # latencies then say how long a reader waits at that rate. Without a rate, users do not pause.
    wait_time = constant_throughput(PLAN["user_rate"]) if PLAN.get("user_rate") else constant(0)
    # As the TLS-terminating proxy in front would say (the servers refuse plain HTTP otherwise).
    headers: dict = {"X-Forwarded-Proto": "https"}

    def __init__(self, environment):
        self.host = next(HOSTS)
        super().__init__(environment)
        self.number = next(NUMBERS)

    def read(self, kind: str) -> None:
        self.client.get(random.choice(PLAN["reads"][kind]), name=kind, headers=self.headers)


# The public's reads are most of a newsroom's traffic; its staff, a few hundred at most, read the claims they work on
# and save now and then. Of the users the plan does not fix, readers, searchers and staff readers share these weights.
class AnonymousReader(Newsroom):
    weight = 28

    @task(4)
    def claim(self):
        self.read("anonymous: published claim")

    @task(2)
    def claims_list(self):
        self.read("anonymous: claims list")

    @task(1)
    def claimreview_feed(self):
        self.read("anonymous: ClaimReview feed")

    @task(2)
    def desk_claim_page(self):
        self.read("anonymous: desk claim page")


class AnonymousSearcher(Newsroom):
    weight = 6

    @task
    def search(self):
        self.read("anonymous: search")


class Staff(Newsroom):
    abstract = True

    def on_start(self):
        self.headers = {**self.headers, "Authorization": f"Token {next(TOKENS)}"}

    def patch(self, kind: str, claim: int) -> None:
        """GET the claim, then change its venue naming the version read (If-Match); 412 if another got there first."""
        path = f"/api/v1/claims/{claim}/"
        with self.client.get(path, name=f"{kind} (read)", headers=self.headers, catch_response=True) as read:
            if read.status_code != 200:
                return
            etag = read.headers["ETag"]
        venue = f"loadtest {PLAN['run']} user {self.number} #{random.getrandbits(48):x}"
        headers = {**self.headers, "If-Match": etag}
        with self.client.patch(path, json={"venue": venue}, name=kind, headers=headers, catch_response=True) as sent:
            if sent.status_code == 200:
                ACKNOWLEDGED.append(
                    {"kind": kind, "claim": claim, "venue": venue, "if_match": etag, "etag": sent.headers["ETag"]}
                )


class StaffReader(Staff):
    weight = 4

    @task(2)
    def claim(self):
        self.read("staff: claim")

    @task(1)
    def quotes_by_speaker(self):
        self.read("staff: quotes by speaker")


class StaffWriter(Staff):
    fixed_count = PLAN["writers"]

    def on_start(self):
        super().on_start()
        self.own_claim = next(OWN_CLAIMS)

    @task(3)
    def edit_own_claim(self):
        self.patch("staff: edit claim", self.own_claim)

    @task(1)
    def create_speaker(self):
        name = f"Loadtest {PLAN['run']} {self.number} {random.getrandbits(48):x}"
        response = self.client.post(
            "/api/v1/speakers/", json={"name": name}, name="staff: create speaker", headers=self.headers
        )
        if response.status_code == 201:
            ACKNOWLEDGED.append({"kind": "speaker", "id": response.json()["id"], "name": name})

    @task(1)
    def create_quote(self):
        text = f"Loadtest {PLAN['run']} quote {self.number} {random.getrandbits(48):x}"
        body = {
            "article": random.choice(PLAN["articles"]),
            "speaker": random.choice(PLAN["speakers"]),
            "text": text,
            "anchored": False,
        }
        response = self.client.post("/api/v1/quotes/", json=body, name="staff: create quote", headers=self.headers)
        if response.status_code == 201:
            ACKNOWLEDGED.append({"kind": "quote", "id": response.json()["id"], "text": text})


class ContestedEditor(Staff):
    """A few editors at once on one claim: of those sending the same ETag, one wins and the rest get 412."""

    fixed_count = PLAN["contested_editors"]
    # Each tries an edit at this pace (an editor saving every second is already more than a person does), so
    # that the contest is a share of the load, not most of it.
    wait_time = constant_throughput(PLAN["contested_rate"])

    @task
    def edit_contested_claim(self):
        self.patch("staff: edit contested claim", PLAN["contested_claim"])

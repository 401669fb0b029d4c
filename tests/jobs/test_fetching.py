"""Fetching an article by its address: only public http(s) pages, of bounded size, in HTML; then on to the intake."""

import pytest
from django.urls import reverse

from claims.choices import JobKind, JobState
from claims.fetching import FetchRefused, fetch_article
from claims.models import Job
from tests.jobs.conftest import run_worker

PAGE = (
    b"<html><head><title>Iran denies sending drones</title><meta property='og:site_name' content='The Wire'></head>"
    b"<body><nav>Home | World</nav><article><h1>Iran denies sending drones</h1><p>"
    + b'"All the drones were sent before February 2022," Iran\'s foreign minister said on Saturday. ' * 8
    + b"</p></article></body></html>"
)
HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "“file:” addresses are not fetched: give an http:// or https:// address."),
        ("ftp://ftp.example.org/article", "“ftp:” addresses are not fetched: give an http:// or https:// address."),
        ("http://127.0.0.1:8000/admin/", "127.0.0.1 is at 127.0.0.1, a private, loopback or link-local address"),
        ("http://localhost/", "localhost is at 127.0.0.1"),
        ("http://10.1.2.3/", "10.1.2.3 is at 10.1.2.3, a private"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is at 169.254.169.254, a private"),
        ("http://[::1]:8000/", "::1 is at ::1, a private"),
        ("http://[::ffff:192.168.0.1]/", "a private, loopback or link-local address"),
    ],
)
def test_only_public_http_addresses_are_fetched(url, reason):
    with pytest.raises(FetchRefused) as refused:
        fetch_article(url)
    assert reason in str(refused.value)


def test_a_page_over_the_size_limit_is_refused(pages, private_fetches, settings):
    settings.FETCH_MAX_BYTES = 500
    pages.routes["/long"] = (200, HTML, PAGE)
    with pytest.raises(
        FetchRefused, match=rf"The page is {len(PAGE):,} bytes; the desk fetches pages of at most 500\."
    ):
        fetch_article(pages.url("/long"))
    # A server that does not say how long its answer is, is stopped once it has sent more than that.
    pages.routes["/unsaid"] = (200, {**HTML, "Content-Length": ""}, PAGE)
    with pytest.raises(FetchRefused, match=r"The page is more than 500 bytes"):
        fetch_article(pages.url("/unsaid"))


def test_a_page_that_is_not_html_is_refused(pages, private_fetches):
    pages.routes["/chart.png"] = (200, {"Content-Type": "image/png"}, b"\x89PNG")
    with pytest.raises(FetchRefused, match=r"/chart.png is image/png, not a web page \(HTML\)"):
        fetch_article(pages.url("/chart.png"))


def test_each_redirect_is_checked_as_the_first_address_was(pages, private_fetches):
    pages.routes["/moved"] = (302, {"Location": "ftp://files.example.org/article"}, b"")
    with pytest.raises(FetchRefused, match="“ftp:” addresses are not fetched"):
        fetch_article(pages.url("/moved"))
    pages.routes["/old"] = (301, {"Location": "/article"}, b"")
    pages.routes["/article"] = (200, HTML, PAGE)
    assert fetch_article(pages.url("/old"))["url"] == pages.url("/article")


def test_a_reporter_fetches_an_article_then_finds_its_quotes_at_the_intake(
    committed, client, reporter, pages, private_fetches
):
    pages.routes["/article"] = (200, HTML, PAGE)
    client.force_login(reporter)
    response = client.post(reverse("desk:intake"), {"action": "fetch", "url": pages.url("/article")})
    job = Job.objects.get()
    assert (job.kind, job.started_by, job.state) == (JobKind.FETCH_ARTICLE, reporter, JobState.QUEUED)
    assert response.status_code == 302 and response.url == reverse("desk:job", args=[job.pk])
    waiting = client.get(response.url).content.decode()
    assert "Queued" in waiting and 'hx-trigger="every 2s"' in waiting
    run_worker()
    # What htmx asks for every 2 s: the status alone, which stops asking once the job has ended.
    status = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert status.lstrip().startswith('<section id="job-status"') and "hx-trigger" not in status
    assert "Succeeded" in status and f'href="{reverse("desk:intake")}?job={job.pk}"' in status
    intake = client.get(reverse("desk:intake"), {"job": job.pk})
    assert intake.status_code == 200
    metadata = intake.context["metadata"]
    assert metadata["url"].value() == pages.url("/article")
    assert metadata["headline"].value() == "Iran denies sending drones"
    assert metadata["outlet"].value() == "The Wire"
    assert intake.context["extraction"].body.startswith('"All the drones were sent before February 2022,"')
    assert intake.context["candidates"], "the fetched text's quotes are offered as a paste's are"


def test_a_refused_address_is_said_on_the_jobs_page(committed, client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("desk:intake"), {"action": "fetch", "url": "http://127.0.0.1/"})
    run_worker()
    page = client.get(response.url).content.decode()
    assert "Failed" in page and "a private, loopback or link-local address: the desk fetches public pages only" in page
    assert Job.objects.get().attempts == 1


@pytest.mark.django_db
def test_the_address_must_be_a_web_address(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("desk:intake"), {"action": "fetch", "url": "not an address"})
    assert response.status_code == 400 and response.context["fetch"].errors["url"] == ["Enter a valid URL."]
    assert not Job.objects.exists()

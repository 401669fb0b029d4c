import pytest

from claims.extraction import extract_article
from claims.extraction.metadata import detect_language, parse_date


@pytest.mark.parametrize(
    ("printed", "iso", "zone"),
    [
        ("26 August 2023, 05:32 AM", "2023-08-26T05:32", None),
        ("09-12-2021 16:04 IST", "2021-12-09T16:04", "IST"),
        ("February 24, 2014 / 10:44 PM", "2014-02-24T22:44", None),
        ("2023-08-26T05:32:00Z", "2023-08-26T05:32", None),
    ],
)
def test_dates_in_the_formats_news_sites_print_are_read(printed, iso, zone):
    assert parse_date(printed) == (iso, zone)


def test_headline_standfirst_agency_and_times_come_from_the_lines_above_the_body():
    raw = (
        "Bridge to reopen after summer of repairs\n\n"
        "The council expects traffic to return to normal within a week of the reopening\n\n"
        "Reuters\nPublished : 26 August 2023, 05:32 AM\nUpdated: 09-12-2023 16:04 IST\n\n"
        "LIMA (Reuters) - The council said on Monday that the bridge would reopen next week."
    )
    metadata = extract_article(text=raw).metadata
    assert metadata.headline == "Bridge to reopen after summer of repairs"
    assert metadata.standfirst.startswith("The council expects traffic")
    assert metadata.credited_to == "Reuters"
    assert metadata.published_at == "2023-08-26T05:32"
    assert metadata.updated_at == "2023-12-09T16:04"
    assert metadata.timezone == "IST"
    assert metadata.dateline == "LIMA (Reuters)"
    assert metadata.language == "en"


@pytest.mark.parametrize(
    ("opening", "dateline", "credited_to"),
    [
        ("CAMBRIDGE, Mass., Dec. 11 (UPI) —", "CAMBRIDGE, Mass., Dec. 11 (UPI)", "UPI"),
        ("DES MOINES, Iowa —", "DES MOINES, Iowa", None),
        ("NEW DELHI, Aug 26 (Reuters) -", "NEW DELHI, Aug 26 (Reuters)", "Reuters"),
        ("RENO, Nev. (CNN) —", "RENO, Nev. (CNN)", None),  # an agency we do not know credits no one
    ],
)
def test_a_dateline_with_a_state_and_a_date_is_read_whole(opening, dateline, credited_to):
    metadata = extract_article(text=f"Council reopens the bridge\n\n{opening} The council voted on Monday.").metadata
    assert metadata.dateline == dateline
    assert metadata.credited_to == credited_to


def test_a_byline_with_an_agency_credits_both():
    raw = "Headline Here Today\n\nBy Jane Doe, AP\n\nThe council said the bridge would reopen next week."
    metadata = extract_article(text=raw).metadata
    assert metadata.byline == "Jane Doe"
    assert metadata.credited_to == "AP"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("El gobierno dijo que la economía de los países crece para todos.", "es"),
        ("Правительство заявило, что экономика растёт.", "ru"),
        ("সরকার বলেছে যে অর্থনীতি বাড়ছে।", "bn"),
        ("The government said that the economy is growing for all of them.", "en"),
    ],
)
def test_the_language_is_recognised_by_script_or_common_words(text, language):
    assert detect_language(text) == language

from claims.extraction import extract_article


def test_non_breaking_spaces_soft_hyphens_and_indentation_are_normalised():
    raw = "Headline of the story\n\n    The minis\u00adter said\u00a0the  plan   would work, officials said.\n"
    extraction = extract_article(text=raw)
    assert extraction.body == "The minister said the plan would work, officials said."


def test_every_body_character_maps_back_to_the_same_visible_character_of_the_input():
    raw = "Title Of The Story\n\n  Ryabkov\u00a0said  \u201cno\u201d.\n\nSecond\u00a0paragraph here."
    extraction = extract_article(text=raw)
    for index, char in enumerate(extraction.body):
        source = raw[extraction.offset_map[index]]
        assert char == source or (char == " " and source.isspace()) or (char == "\n" and source == "\n")


def test_related_stories_and_everything_after_them_are_not_body():
    raw = (
        "A long first paragraph of the article that is certainly more than eighty characters long, as bodies are.\n\n"
        "RELATED STORIES\nPutin sends condolences over crash\n\nOpinion\nInvestors staying out of China"
    )
    body = extract_article(text=raw).body
    assert "RELATED" not in body and "Putin" not in body and "Investors" not in body


def test_language_switch_cookie_notice_and_share_links_are_dropped():
    raw = (
        "বাংলা\n\nWe use cookies to improve your experience.\n\nShare on Facebook\n\n"
        "The council said on Monday that the bridge would reopen next week after repairs.\n\nRead more: other story"
    )
    assert extract_article(text=raw).body == (
        "The council said on Monday that the bridge would reopen next week after repairs."
    )


def test_a_paragraph_about_cookies_is_article_text_not_a_cookie_notice():
    raw = (
        "Headline of the story\n\nThe magazine said the reader-chosen cookie poll winner has predicted the "
        "White House winner.\n\nBy continuing you accept our cookies."
    )
    assert extract_article(text=raw).body == (
        "The magazine said the reader-chosen cookie poll winner has predicted the White House winner."
    )


def test_html_goes_through_trafilatura_and_keeps_the_article_text():
    html = (
        "<html><head><title>Bridge to reopen</title></head><body><nav>Home | World</nav><article>"
        "<h1>Bridge to reopen</h1><p>The council said on Monday that the bridge would reopen next week after "
        "repairs that took most of the summer and cost more than planned.</p><p>\u201cWe are pleased with the "
        "work,\u201d the mayor said.</p></article><footer>Subscribe now</footer></body></html>"
    )
    extraction = extract_article(html=html)
    assert "the bridge would reopen" in extraction.body
    assert "Home | World" not in extraction.body
    assert extraction.input_kind == "html"
    assert any(candidate.kind == "direct" for candidate in extraction.candidates)

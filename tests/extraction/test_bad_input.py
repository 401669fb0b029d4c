"""Bad input gets a clear answer, never a crash."""

import pytest

from claims.extraction import MAX_INPUT_CHARS, ExtractionInputError, extract_article


def test_neither_text_nor_html_is_refused_with_a_message():
    with pytest.raises(ExtractionInputError, match="either as text or as html"):
        extract_article()


def test_both_text_and_html_are_refused():
    with pytest.raises(ExtractionInputError, match="exactly one"):
        extract_article(text="a", html="<p>a</p>")


def test_a_paste_over_the_size_limit_is_refused_saying_the_limit():
    with pytest.raises(ExtractionInputError, match=f"{MAX_INPUT_CHARS:,}"):
        extract_article(text="x" * (10 * 1024 * 1024))


def test_binary_junk_is_refused():
    with pytest.raises(ExtractionInputError, match="binary"):
        extract_article(text="PK\x03\x04\x00\x00 junk")
    with pytest.raises(ExtractionInputError, match="binary"):
        extract_article(text="".join(chr(code) for code in range(1, 9)) * 50)


def test_empty_text_gives_no_candidates():
    extraction = extract_article(text="")
    assert extraction.body == "" and extraction.candidates == []
    assert extraction.to_dict()["candidates"] == []


def test_an_article_without_quotes_gives_no_candidates():
    assert extract_article(text="The bridge opened in 1932.\n\nIt is long.").candidates == []


@pytest.mark.parametrize(
    "text",
    [
        "政府表示，经济正在增长。“我们会赢，”他说。",
        "Правительство заявило: «Экономика растёт», сказал министр.",
        "قال الوزير إن «الاقتصاد ينمو».",
        "সরকার বলেছে যে অর্থনীতি বাড়ছে। \u201cআমরা জিতব,\u201d তিনি বলেন।",
        'He said "this never ends and neither does this',
    ],
)
def test_other_scripts_and_unbalanced_quotes_do_not_crash(text):
    extraction = extract_article(text=text)
    for candidate in extraction.candidates:
        assert extraction.body[candidate.start : candidate.end] == candidate.text


def test_a_large_but_allowed_paste_is_processed_quickly():
    paragraph = '"We will win this fight," Smith said. Officials said the plan would work.\n\n'
    extraction = extract_article(text=paragraph * 5000)
    assert len(extraction.candidates) >= 5000

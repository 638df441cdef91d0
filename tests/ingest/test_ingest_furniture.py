"""Page furniture: every kind, each in a small article written for the test.

A case names the line (or lines) that must be marked, and the reason expected. The text
itself must come back unchanged, and the body paragraphs must stay unmarked.
"""

from __future__ import annotations

import itertools

import pytest

from aidtracker.ingest import article_from_text
from aidtracker.records import Article

TITLE = "Finland pledges €50 million to repair Ukraine's power grid"
BODY = (
    "Finland will give €50 million to help repair the electricity network of Ukraine, the "
    "foreign ministry in Helsinki said on Sunday after a meeting of donors."
)
BODY2 = (
    "The money will buy transformers and cables for substations damaged by missile strikes "
    "this winter, and the first deliveries are expected in the spring, officials said."
)


def marked(article: Article) -> dict[str, str]:
    """Each furniture span's text → its reason."""
    return {article.text[f.span.start : f.span.end]: f.reason for f in article.furniture}


def in_the_middle(line: str) -> str:
    return f"{TITLE}\n\n{BODY}\n\n{line}\n\n{BODY2}\n"


def assert_body_kept(article: Article) -> None:
    for paragraph in (BODY, BODY2):
        at = article.text.find(paragraph)
        if at >= 0:
            covered = [f for f in article.furniture if f.span.start < at + len(paragraph)]
            assert not [f for f in covered if f.span.end > at], paragraph


LINES = [
    ("Advertisement", "advertisement"),
    ("ADVERTISEMENT", "advertisement"),
    ("Advertisement:", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    ("Connect with us", "navigation"),
    ("Our Partners", "navigation"),
    ("Edit post", "navigation"),
    ("News Feed", "navigation"),
    ("Skip to content", "navigation"),
    ("Is this page useful?", "navigation"),
    ("EN DE FR UA", "navigation"),
    ("Get more with myNEWS", "promo"),
    ("A personalised news feed of stories that matter to you", "promo"),
    ("Learn more", "promo"),
    ("Share post:", "share"),
    ("Share: Facebook | X | LinkedIn", "share"),
    ("Date:", "metadata"),
    ("Search Keywords:", "metadata"),
    ("Short link:", "metadata"),
    ("Short link: https://news.example/s/a1b2", "metadata"),
    ("Tags: Finland, Ukraine, energy", "metadata"),
    ("This audio is created with AI assistance", "media"),
    ("Video thumbnail", "media"),
    ("Avatar", "media"),
    ("1 min read", "reading-time"),
    ("2 min read", "reading-time"),
    ("December 11, 2023 5:29 PM 2 min read", "byline"),
    ("April 10 2024, 11:31 AM • 21240 views", "byline"),
    ("Monday, 2 September 2024, 21:04", "byline"),
    ("Maria Example |", "byline"),
    ("By Maria Example", "byline"),
    ("15.1 C", "weather"),
    ("-3°", "weather"),
    ("01:03", "timecode"),
    ("1", "number"),
    ("12,345", "number"),
    ("4.2K views", "counter"),
    ("Additional reporting by Reuters", "credit"),
    ("(Reporting by Jane Example; editing by John Example)", "credit"),
    ("Support us or become our patron!", "appeal"),
    ("Sign up for our newsletter to get the week's news", "appeal"),
    ("* * *", "separator"),
    ("(END)", "end-mark"),
    ("Press contact: press@ministry.example", "contact"),
    ("© 2024 Example Media Group", "copyright"),
    ("![Substation near Kyiv](https://img.example/sub.jpg)", "image"),
    ("https://news.example/finland-grid", "link"),
    ("Read more: Sweden and Denmark agree joint purchase of air defence", "related-link"),
    ("Also read: Norway doubles its energy fund contribution", "related-link"),
    ("+Everything you need to know about the recovery conference", "related-link"),
    ("Norway sends generators to Kharkiv region hospitals • 5120 views", "related-link"),
    ("Engineers inspect a damaged transformer near Kyiv on Monday. Photo: Reuters", "caption"),
    ("Rescuers clear rubble in Odesa after a drone strike overnight. (AP PHOTO)", "caption"),
    ("Donors tour a rebuilt school in Irpin on Tuesday. (© Example Agency)", "caption"),
    ("Ministers meet in Helsinki on March 3, 2024 (@Government Communications Office)",
     "caption"),
    ("The president signs the agreement with his Finnish counterpart on Friday (President of "
     "Ukraine)", "caption"),
    ("A soldier checks equipment at a base. (Jane Example/Example Agency via Getty Images)",
     "caption"),
    ("The flag of Finland. Stock photo: Example Images", "caption"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "reason"), LINES, ids=[line[:40] for line, _ in LINES])
def test_single_line_furniture(line: str, reason: str) -> None:
    text = in_the_middle(line)
    article = article_from_text(text, "t")
    assert article.text == text
    assert marked(article).get(line) == reason, marked(article)
    assert_body_kept(article)
    assert article.title == TITLE


NOT_FURNITURE = [
    "Almost €3 billion so far",  # a subheading with a figure
    "Background:",
    "Details: According to the ministry, the money will arrive in two tranches this year.",
    "Previously: The ministry signed a memorandum with a fund to provide US$100,000.",
    "The grant was announced on February 19, 2024 at a conference in Tokyo.",
    "“We will stand with Ukraine for as long as it takes,” the minister said.",
    "The programme (known as ERA) runs until 2027",
]


@pytest.mark.parametrize("line", NOT_FURNITURE, ids=[line[:30] for line in NOT_FURNITURE])
def test_article_lines_are_not_furniture(line: str) -> None:
    article = article_from_text(in_the_middle(line), "t")
    assert line not in marked(article)


def test_related_block_runs_to_the_end() -> None:
    text = (
        f"{TITLE}\n\n{BODY}\n\n{BODY2}\n\nMost popular\nEditors' Picks\n\n"
        "Drone makers in Kyiv double output as orders rise\n\n"
        "Explainer: what the new EU facility means for Ukraine's budget\n"
    )
    article = article_from_text(text, "t")
    (block,) = [f for f in article.furniture if f.reason == "related-headlines"]
    assert article.text[block.span.start :].startswith("Most popular")
    assert block.span.end == len(text.rstrip("\n"))
    assert_body_kept(article)


def test_related_block_stops_at_body_text() -> None:
    text = (
        f"{TITLE}\n\n{BODY}\n\nRelated articles\n\n"
        "Denmark funds new bridge in Mykolaiv\n\n"
        "The Danish government said it would pay for a bridge over the...\n\n"
        f"{BODY2}\n"
    )
    article = article_from_text(text, "t")
    (block,) = article.furniture
    assert block.reason == "related-headlines"
    assert article.text[block.span.start : block.span.end].endswith("over the...")
    assert_body_kept(article)


def test_teaser_inside_the_body() -> None:
    teaser = "Sweden to send patrol boats to Ukraine"
    lead = "Sweden will send six patrol boats to Ukraine's navy, the government said, adding…"
    article = article_from_text(f"{TITLE}\n\n{BODY}\n{teaser}\n{lead}\n\n{BODY2}\n", "t")
    assert marked(article) == {f"{teaser}\n{lead}": "related-teaser"}


def test_trailing_headlines_after_end_furniture() -> None:
    text = (
        f"{TITLE}\n\n{BODY}\n\n{BODY2}\n\nSupport us or become our patron!\n\n"
        "Energy minister visits Lviv substation\nAdvertisement:\n"
        "updatedFloods hit western regions after heavy rain\n"
    )
    reasons = marked(article_from_text(text, "t"))
    assert reasons["Energy minister visits Lviv substation"] == "related-headlines"
    assert reasons["updatedFloods hit western regions after heavy rain"] == "related-headlines"


def test_article_ending_without_full_stop_keeps_its_last_line() -> None:
    text = f"{TITLE}\n\n{BODY}\n\nThe ministry will publish the list of projects next week\n"
    assert marked(article_from_text(text, "t")) == {}


def test_video_title_after_timecode_and_its_repeat() -> None:
    video = "Ukraine's energy minister on the coming winter"
    text = f"{TITLE}\n\n{BODY}\n\n02:15\n\n{video}\n\n{video}\n\n{BODY2}\n"
    reasons = [f.reason for f in article_from_text(text, "t").furniture]
    assert reasons == ["timecode", "video", "duplicate"]


def test_weather_widget_with_place_and_page_date() -> None:
    text = f"{TITLE}\n\n15.1 C\nHelsinki\nSunday, February 8, 2026\n\nDate:\n\n{BODY}\n"
    article = article_from_text(text, "t")
    assert marked(article)["15.1 C\nHelsinki\nSunday, February 8, 2026"] == "weather"
    assert article.published is None  # the page's date, not the article's


def test_repeated_headline_is_a_duplicate_and_the_first_is_the_title() -> None:
    text = f"{TITLE}\n\nNews Feed\n\n1 min read\n{TITLE}\n{BODY}\n"
    article = article_from_text(text, "t")
    assert article.title == TITLE
    assert article.title_span is not None and article.title_span.start == 0
    assert [f.reason for f in article.furniture] == ["navigation", "reading-time", "duplicate"]


def test_repeated_paragraph_keeps_its_first_copy() -> None:
    text = f"{TITLE}\n\n{BODY}\n{BODY}\n\n{BODY2}\n"
    (dup,) = article_from_text(text, "t").furniture
    assert dup.reason == "duplicate"
    assert dup.span.start == text.index(BODY) + len(BODY) + 1


def test_alt_text_over_its_caption() -> None:
    alt = "Workers repair a damaged power line"
    caption = "Workers repair a power line near Kharkiv after a strike on Monday. (AP PHOTO)"
    reasons = marked(article_from_text(f"{TITLE}\n\n{BODY}\n\n{alt}\n{caption}\n\n{BODY2}", "t"))
    assert reasons == {alt: "caption", caption: "caption"}


def test_caption_repeated_with_its_credit() -> None:
    caption = "Engineers inspect a transformer at a substation near Kyiv, March 3, 2024."
    text = f"{TITLE}\n\n{caption}\n{caption} EXAMPLE AGENCY\n\n{BODY}\n"
    reasons = marked(article_from_text(text, "t"))
    assert reasons == {caption: "caption", f"{caption} EXAMPLE AGENCY": "caption"}


def test_header_lines_around_the_headline() -> None:
    text = (
        "Advertisement\nWorld\nEnergy & Climate\n"
        "Engineers inspect a transformer near Kyiv on Monday. Photo: Example Agency\n\n"
        f"{TITLE}\n\nHelsinki • EXN\n\nMaria Example |\n\n{BODY}\n"
    )
    article = article_from_text(text, "t")
    assert article.title == TITLE
    assert marked(article) == {
        "Advertisement": "advertisement",
        "World": "header",
        "Energy & Climate": "header",
        "Engineers inspect a transformer near Kyiv on Monday. Photo: Example Agency": "caption",
        "Helsinki • EXN": "header",
        "Maria Example |": "byline",
    }


def test_promotion_before_its_call_to_action() -> None:
    promo = "Our first printed yearbook is here. Be among the first to get it."
    text = f"{TITLE}\n\n{promo}\n\nOrder now\n\n{BODY}\n"
    assert marked(article_from_text(text, "t")) == {promo: "promo", "Order now": "promo"}


def test_contacts_block_closing_a_press_release() -> None:
    text = f"{TITLE}\n\n{BODY}\n\nMedia contacts\nHelsinki: press@ministry.example\n"
    (block,) = article_from_text(text, "t").furniture
    assert block.reason == "contacts"
    assert text[block.span.start : block.span.end].endswith("press@ministry.example")


def test_furniture_is_sorted_and_disjoint() -> None:
    text = "\n".join(line for line, _ in LINES) + f"\n{TITLE}\n{BODY}\nMost popular\nA b c d"
    article = article_from_text(text, "t")
    spans = [f.span for f in article.furniture]
    assert spans == sorted(spans, key=lambda s: s.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))

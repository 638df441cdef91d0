"""Agreements, events and people: tables of small articles we wrote, each named for the pattern it
tests, plus sentences that must yield nothing of their kind.

Articles go through `article_from_text`, so a date on its own line under the headline becomes
the publication date (the reference that "February 19" or "on Tuesday" is resolved against),
as it would in production. Each case lists every fact of its kind that the article states and
only the fields that matter for the case; party sets are compared as "at least these".
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

import pytest

from aidtracker.extract import extract
from aidtracker.extract.people import canonical_name
from aidtracker.ingest import article_from_text
from aidtracker.records import Agreement, Event, Extraction, Person

Fields = dict[str, Any]


@lru_cache(maxsize=128)
def run(text: str, name: str = "case") -> Extraction:
    return extract(article_from_text(text, source=f"test:{name}"))


def case(name: str, text: str, expected: list[Fields], hard: str | None = None) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=hard)] if hard else []
    return pytest.param(name, text, expected, id=name, marks=marks)


def agrees(fact: Agreement | Event | Person, want: Fields) -> bool:
    for field, expected in want.items():
        if field == "parties":  # at least these parties
            if not set(expected) <= set(fact.parties):  # type: ignore[union-attr]
                return False
        elif field in {"participants_include", "aliases_include"}:
            got = fact.participants if field == "participants_include" else fact.aliases  # type: ignore[union-attr]
            if not set(expected) <= set(got):
                return False
        elif getattr(fact, field) != expected:
            return False
    return True


def assert_facts(found: tuple[Any, ...], expected: list[Fields]) -> None:
    unmatched = list(found)
    missing = []
    for want in expected:
        hit = next((f for f in unmatched if agrees(f, want)), None)
        if hit is None:
            missing.append(want)
        else:
            unmatched.remove(hit)
    shown = "\n".join(f"  {f!r}" for f in found) or "  (none)"
    assert not missing and len(found) == len(expected), f"missing {missing}\nfound {len(found)}:\n{shown}"


# ---------------------------------------------------------------------------------------------
# Agreements
AGREEMENTS = [
    case(
        "a-company-named-before-is-a-party-however-the-recogniser-labels-it",
        "Aldovia delivers water units to Mykolaiv\n\n"
        "Aldovia, the Antwerp-based specialty chemicals group, has handed over 12 water purification units to "
        "Ukraine. On the same day, Aldovia and Mykolaiv City Council signed a memorandum of understanding on "
        "the training of water engineers.",
        [{"agreement_type": "memorandum", "parties": ("Aldovia", "Mykolaiv City Council")}],
    ),
    case(
        "a-framework-agreement-is-one-and-two-indefinite-ones-are-two",
        "Ukraine and Sweden deepen defence ties\n\n"
        "Swedish firm Saab and Ukraine signed a framework agreement on the maintenance of radar systems. Sweden "
        "and Ukraine signed a bilateral security agreement in 2024. The two governments also signed a protocol "
        "on the transit of grain.",
        [
            {"agreement_type": "cooperation_deal", "parties": ("Saab", "Ukraine"), "subject": "a framework agreement"},
            {"agreement_type": "cooperation_deal", "subject": "a bilateral security agreement"},
            {"agreement_type": "cooperation_deal", "subject": "a protocol on the transit of grain"},
        ],
    ),
    case(
        "agreements-with-two-partners-are-two",
        "Ukraine signs accords at the summit\n\n"
        "At the summit in Brussels, Ukraine signed bilateral agreements with Belgium and Sweden on Tuesday.",
        [
            {"agreement_type": "cooperation_deal", "parties": {"Ukraine", "Belgium"}},
            {"agreement_type": "cooperation_deal", "parties": {"Ukraine", "Sweden"}},
        ],
    ),
    case(
        "memorandum-parties-from-its-own-clause",
        "Loan tranche paid to Ukraine\n\n"
        "The money will be paid in three instalments, subject to the conditions set out in the memorandum of "
        "understanding signed with the European Commission.",
        [{"agreement_type": "memorandum", "parties": {"European Commission", "Ukraine"}}],
    ),
    case(
        "count-of-56-cooperation-deals",
        "Japan and Ukraine sign 56 deals at Tokyo conference\n\n"
        "February 19, 2024\n\n"
        "Japanese and Ukrainian companies and government bodies signed 56 cooperation deals at the conference "
        "in Tokyo on Monday, officials said.",
        [{"agreement_type": "cooperation_deal", "count": 56, "parties": {"Japan", "Ukraine"}, "status": "signed"}],
    ),
    case(
        "memorandum-of-understanding-with-a-country",
        "Poland and Ukraine sign energy memorandum\n\n"
        "Poland signed a memorandum of understanding with Ukraine on energy cooperation, the ministry said.",
        [{"agreement_type": "memorandum", "parties": {"Poland", "Ukraine"}, "status": "signed"}],
    ),
    case(
        "memorandum-of-understanding-with-an-agency",
        "Ukraine signs demining memorandum with JICA\n\n"
        "Ukraine's Ministry of Economy signed a memorandum of understanding with JICA on demining equipment "
        "on Tuesday.",
        [{"agreement_type": "memorandum", "parties": {"JICA", "Ukraine"}, "status": "signed"}],
    ),
    case(
        "agreed-to-establish-a-mechanism",
        "EU and Ukraine agree on compensation mechanism\n\n"
        "The European Union and Ukraine agreed to establish a mechanism to compensate victims of the war.",
        [{"agreement_type": "mechanism", "parties": {"European Union", "Ukraine"}}],
    ),
    case(
        "plans-to-open-an-office",
        "JETRO to open Kyiv office\n\n"
        "JETRO plans to open an office in Kyiv to help Japanese companies enter Ukraine, the agency said.",
        [{"agreement_type": "office", "parties": {"JETRO"}, "status": "planned"}],
    ),
    case(
        "two-companies-plan-to-jointly-develop",
        "Arms makers plan joint venture for Ukraine\n\n"
        "Rheinmetall and Ukroboronprom plan to jointly develop armoured vehicles in Ukraine.",
        [{"agreement_type": "joint_development", "parties": {"Rheinmetall", "Ukroboronprom"}}],
    ),
    case(
        "security-agreement-signed",
        "Canada and Ukraine sign security agreement\n\n"
        "Canada and Ukraine signed a security agreement in Ottawa on Saturday, Prime Minister Justin Trudeau "
        "said.",
        [{"agreement_type": "cooperation_deal", "parties": {"Canada", "Ukraine"}, "status": "signed"}],
    ),
    case(
        "convention-under-review",
        "Ukraine and Japan to review tax convention\n\n"
        "Ukraine and Japan will review a tax convention to help companies invest, the finance ministry said.",
        [{"agreement_type": "convention", "parties": {"Ukraine", "Japan"}, "status": "under_review"}],
    ),
    case(
        "headline-deals-and-body-memoranda-of-one-count-are-one",
        "Korean firms sign 12 deals at Kyiv forum\n\n"
        "South Korean and Ukrainian companies signed 12 memoranda of understanding at a forum in Kyiv on Tuesday.",
        [{"agreement_type": "memorandum", "count": 12, "parties": {"South Korea", "Ukraine"}}],
    ),
    # Sentences with an agreement word that report no agreement.
    case(
        "reached-no-agreement",
        "No deal yet on Ukraine grain corridor\n\n"
        "The ministers of Poland and Ukraine discussed grain exports but reached no agreement, officials said.",
        [],
    ),
    case(
        "office-as-part-of-a-name",
        "Britain stands by Ukraine\n\n"
        "The Foreign Office said Britain would keep supporting Ukraine. The mayor's office in Kyiv welcomed "
        "the statement.",
        [],
    ),
    case(
        "budget-approved-is-no-agreement",
        "Ukraine's parliament passes budget\n\nUkraine's parliament approved next year's budget on Thursday.",
        [],
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), AGREEMENTS)
def test_agreements(name: str, text: str, expected: list[Fields]) -> None:
    assert_facts(run(text, name).agreements, expected)


# ---------------------------------------------------------------------------------------------
# Events
EVENTS = [
    case(
        "the-next-meeting-of-a-series-is-another-event",
        "Donors meet on Ukraine's energy\n\n12 March 2025\n\n"
        "Ministers from 30 countries gathered in Vienna on 11 March 2025 for the fourth meeting of the Energy "
        "Support Coordination Group. The next meeting of the group will take place on 20 June in Brussels.",
        [
            {"event_type": "meeting", "name": "meeting of the Energy Support Coordination Group",
             "date": date(2025, 3, 11), "location": "Vienna"},
            {"event_type": "meeting", "date": date(2025, 6, 20), "location": "Brussels", "participants": ()},
        ],
    ),
    case(
        "a-month-is-no-place-and-a-visit-is-to-its-place",
        "Grant signed for Ukrainian hospitals\n\n"
        "The loan is part of the package Spain announced in March at the Spain-Ukraine Business Forum in Madrid. "
        "Spain's foreign minister made the announcement during a visit to Odesa on 4 June 2025.",
        [
            {"event_type": "conference", "location": "Madrid"},
            {"event_type": "visit", "date": date(2025, 6, 4), "location": "Odesa"},
        ],
    ),
    case(
        "the-place-a-visit-verb-names",
        "Minister to travel\n\nThe deputy foreign minister of Spain will visit Lviv next month.",
        [{"event_type": "visit", "location": "Lviv"}],
    ),
    case(
        "event-place-not-the-event-the-deal-was-signed-at",
        "Korean firms sign deals in Kyiv\n\n"
        "May 14, 2025\n\n"
        "South Korean and Ukrainian companies signed 12 memoranda at the Korea-Ukraine Reconstruction Forum held "
        "in Kyiv on 13 May, the ministry said.",
        [{"event_type": "conference", "name": "Korea-Ukraine Reconstruction Forum", "location": "Kyiv",
          "date": date(2025, 5, 13)}],
    ),
    case(
        "summit-name-stops-before-its-city",
        "Leaders head to Warsaw\n\n"
        "April 2, 2025\n\n"
        "The two leaders are due to attend the Weimar Triangle summit in Warsaw on 15 April.",
        [{"event_type": "conference", "name": "Weimar Triangle summit", "location": "Warsaw",
          "date": date(2025, 4, 15)}],
    ),
    case(
        "conference-date-resolved-against-article-date",
        "Japan to host Ukraine conference next month\n\n"
        "January 10, 2024\n\n"
        "Japan will host a conference on Ukraine's reconstruction in Tokyo on February 19, the foreign ministry "
        "said. The conference will bring together business leaders from both countries. Officials said the "
        "event would focus on demining and energy.",
        [{"event_type": "conference", "date": date(2024, 2, 19)}],
    ),
    case(
        "defence-ministers-convene-a-meeting",
        "Contact group to meet in Brussels\n\n"
        "March 3, 2025\n\n"
        "On March 12, the defence minister will convene the Ukraine Defense Contact Group in Brussels.",
        [{"event_type": "meeting", "date": date(2025, 3, 12)}],
    ),
    case(
        "a-conditional-election-is-no-event",
        "Opposition would review aid\n\n"
        "March 3, 2025\n\n"
        "The opposition leader said he would review the aid if his party wins the election in October.",
        [],
    ),
    case(
        "conference-date-is-not-the-inline-dateline",
        "Japan to host Ukraine conference next month\n\n"
        "TOKYO, January 10, 2024 -- Japan will host a conference on Ukraine's reconstruction on February 19, "
        "the foreign ministry said.",
        [{"event_type": "conference", "date": date(2024, 2, 19)}],
    ),
    case(
        "conference-name-stops-before-its-date",
        "Tokyo to host Ukraine recovery conference\n\n"
        "January 10, 2024\n\n"
        "Japan will host the Japan-Ukraine Conference for Promotion of Economic Growth and Reconstruction on "
        "February 19. About 300 business leaders are expected at the conference.",
        [
            {
                "event_type": "conference",
                "name": "Japan-Ukraine Conference for Promotion of Economic Growth and Reconstruction",
                "date": date(2024, 2, 19),
            }
        ],
    ),
    case(
        "conference-location-after-its-topic",
        "Japan to host Ukraine conference next month\n\n"
        "January 10, 2024\n\n"
        "Japan will host a conference on Ukraine's reconstruction in Tokyo on February 19, the foreign ministry "
        "said.",
        [{"event_type": "conference", "location": "Tokyo"}],
    ),
    case(
        "date-range-february-16-to-18",
        "Munich Security Conference opens\n\n"
        "February 10, 2024\n\n"
        "The Munich Security Conference will take place from February 16 to 18 in Munich. Ukraine's president "
        "is expected to attend the conference.",
        [
            {
                "event_type": "conference",
                "name": "Munich Security Conference",
                "date": date(2024, 2, 16),
                "end_date": date(2024, 2, 18),
                "location": "Munich",
            }
        ],
    ),
    case(
        "visit-with-full-date-absorbs-its-meeting",
        "Kishida visits Kyiv\n\n"
        "Prime Minister Fumio Kishida visited Kyiv on March 21, 2023, and met President Volodymyr Zelensky.",
        [
            {
                "event_type": "visit",
                "date": date(2023, 3, 21),
                # the canonical spelling (vocab/people.yml)
                "participants_include": {"Fumio Kishida", "Volodymyr Zelenskyy"},
            }
        ],
    ),
    case(
        "weekday-only-date-stays-null",
        "Ministers meet in Kyiv\n\n"
        "March 5, 2024\n\n"
        "The foreign ministers of Poland and Ukraine met in Kyiv on Tuesday to discuss air defence.",
        [{"event_type": "meeting", "date": None, "location": "Kyiv"}],
    ),
    case(
        "weekday-only-conference-stays-null",
        "Japan and Ukraine sign deals at Tokyo conference\n\n"
        "February 19, 2024\n\n"
        "Japanese and Ukrainian companies signed 56 cooperation deals at the conference in Tokyo on Monday.",
        [{"event_type": "conference", "date": None, "location": "Tokyo"}],
    ),
    # A verb that names an event type but reports none.
    case(
        "meet-conditions-is-no-meeting",
        "EU sets conditions for Ukraine funds\n\n"
        "Ukraine must meet 15 conditions before the next EU payment can be made.",
        [],
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), EVENTS)
def test_events(name: str, text: str, expected: list[Fields]) -> None:
    assert_facts(run(text, name).events, expected)


# ---------------------------------------------------------------------------------------------
# People
PEOPLE = [
    case(
        "page-words-are-no-ones-name",
        "Embassy thread on Ukraine's winter\n\n"
        "Ambassador Martin Harris thanked the Ukrainian engineers in Kyiv. Read our Cookie Policy and the "
        "Humanitarian Needs overview before you share this post.",
        [{"name": "Martin Harris"}],
    ),
    case(
        "a-company-officers-title-is-not-part-of-the-name",
        "Company delivers water units to Ukraine\n\n"
        "The handover took place in Odesa on Tuesday in the presence of Corvanta Chief Executive Officer "
        "Marieke Janssens, who said more units would follow.",
        [{"name": "Marieke Janssens"}],
    ),
    case(
        "a-portfolio-with-and-and-the-next-persons-office",
        "Korea hands school buses to Ukraine\n\n"
        "The buses were handed over in Kyiv in the presence of Minister of Education and Science Oksen Lisovyi. "
        "The ceremony was attended by the UNDP Resident Representative in Ukraine, Johan Lindqvist, and the Head "
        "of the Kyiv Regional Military Administration, Mykola Kalashnyk.",
        [
            {"name": "Oksen Lisovyi", "role": "Minister of Education and Science"},
            {"name": "Johan Lindqvist", "role": None},
            {"name": "Mykola Kalashnyk"},
        ],
    ),
    case(
        "counterpart-is-the-demonyms-official",
        "Estonia adds to Ukraine's energy fund\n\n"
        "Estonian Foreign Minister Margus Tsahkna arrived in Kyiv on Monday. At a press conference with his "
        "Ukrainian counterpart Andrii Sybiha he announced further help for Ukraine.",
        [
            {"name": "Margus Tsahkna", "affiliation": "Estonia"},
            {"name": "Andrii Sybiha", "affiliation": "Ukraine"},
        ],
    ),
    case(
        "family-name-in-capitals-first",
        "Japan's prime minister vows support for Ukraine\n\n"
        "KISHIDA Fumio, Prime Minister of Japan, said Japan would stand with Ukraine.",
        [{"name": "Fumio Kishida", "role": "Prime Minister", "aliases_include": {"KISHIDA Fumio"}}],
    ),
    case(
        "family-name-first-known-given-name",
        "Japan's foreign minister in Kyiv\n\nForeign Minister Iwaya Takeshi met Ukrainian officials in Kyiv on Monday.",
        [{"name": "Takeshi Iwaya", "role": "Foreign Minister", "aliases_include": {"Iwaya Takeshi"}}],
    ),
    case(
        "demonym-role-and-name",
        "Japan's foreign minister visits Kyiv\n\nJapanese Foreign Minister Yoko Kamikawa arrived in Kyiv on Saturday.",
        [{"name": "Yoko Kamikawa", "role": "Foreign Minister", "affiliation": "Japan"}],
    ),
    case(
        "role-after-name",
        "Dutch leader backs Ukraine\n\n"
        "Mark Rutte, Prime Minister of the Netherlands, said his country would keep helping Ukraine.",
        [{"name": "Mark Rutte", "role": "Prime Minister", "affiliation": "Netherlands"}],
    ),
    case(
        "surname-only-mention-is-not-another-person",
        "Japan's foreign minister in Kyiv\n\n"
        "Foreign Minister Iwaya Takeshi met Ukrainian officials in Kyiv. Iwaya said Japan would continue its "
        "support.",
        [{"name": "Takeshi Iwaya"}],
    ),
    case(
        "surname-only-mention-becomes-an-alias",
        "Japan's prime minister vows support for Ukraine\n\n"
        "Prime Minister Fumio Kishida said Japan would stand with Ukraine. Kishida spoke to reporters in Tokyo.",
        [{"name": "Fumio Kishida", "aliases_include": {"Kishida"}}],
    ),
    case(
        "office-of-a-country-then-a-name-the-model-does-not-know",
        "Grant agreement signed in Kyiv\n\n"
        "The agreement was signed by the Prime Minister of Ukraine Mykhailo Dovzhenko and the Minister of "
        "Finance of Ukraine Oksana Hrytsenko on Tuesday.",
        [
            {"name": "Mykhailo Dovzhenko", "role": "Prime Minister", "affiliation": "Ukraine"},
            {"name": "Oksana Hrytsenko", "affiliation": "Ukraine"},
        ],
    ),
    case(
        "office-with-a-portfolio-then-a-name",
        "Aid for farmers\n\n"
        "Minister for International Development Alice Tremblay announced the grant in Ottawa. So did the "
        "Minister of Defence, Pedro Almunia.",
        [
            {"name": "Alice Tremblay", "role": "Minister for International Development"},
            {"name": "Pedro Almunia", "role": "Minister of Defence"},
        ],
    ),
    case(
        "a-portfolio-then-an-owner-and-an-office-between-commas",
        "Aid talks in Bern\n\n"
        "Minister of Foreign Affairs of Norway Kari Lindqvist met Federal Councillor Ignazio Cassis in Bern. "
        "Ms. Amara Okafor, Managing Director, said the fund would help.",
        [
            {"name": "Kari Lindqvist", "role": "Minister of Foreign Affairs", "affiliation": "Norway"},
            {"name": "Ignazio Cassis", "role": "Federal Councillor"},
            {"name": "Amara Okafor", "role": "Managing Director"},
        ],
    ),
    case(
        "an-ambassador-belongs-to-the-state-that-sends-them",
        "Grant signed in Tokyo\n\n"
        "Ukrainian Ambassador to Japan Yurii Lutovinov attended the signing in Tokyo.",
        [{"name": "Yurii Lutovinov", "role": "Ambassador", "affiliation": "Ukraine"}],
    ),
    case(
        "particles-initials-and-suffixes-stay-inside-the-name",
        "Allies meet\n\n"
        "President Ingrid van der Berg met Secretary of State Thomas J. Whitfield and Secretary of Defense "
        "Robert K. Hale III in Brussels.",
        [
            {"name": "Ingrid van der Berg", "role": "President"},
            {"name": "Thomas Whitfield", "role": "Secretary of State", "aliases_include": {"Thomas J. Whitfield"}},
            {"name": "Robert Hale", "aliases_include": {"Robert K. Hale III"}},
        ],
    ),
    case(
        "an-organisation-after-an-office-is-no-person",
        "Fund grows\n\nThe head of the Energy Security Trust Fund said donors had given more this year.",
        [],
    ),
    case(
        "company-tagged-person-by-ner-is-no-person",
        "Rakuten to help rebuild Ukraine's telecoms\n\n"
        "The telecoms company Rakuten Symphony will help Ukraine's Kyivstar rebuild its mobile network, the "
        "Japanese firm said.",
        [],
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), PEOPLE)
def test_people(name: str, text: str, expected: list[Fields]) -> None:
    assert_facts(run(text, name).people, expected)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("KISHIDA Fumio", "Fumio Kishida"),
        ("KAMIKAWA Yoko", "Yoko Kamikawa"),
        ("Iwaya Takeshi", "Takeshi Iwaya"),
        ("Takeshi Iwaya", "Takeshi Iwaya"),
        ("Kishida's", "Kishida"),
        ("Annalena Baerbock", "Annalena Baerbock"),
        ("Volodymyr ZELENSKY", "Volodymyr Zelensky"),
        ("Jonas Gahr Støre", "Jonas Gahr Støre"),
        ("Lloyd J. Austin III", "Lloyd Austin"),
        ("Martin Luther King Jr.", "Martin Luther King"),
    ],
)
def test_canonical_name(raw: str, canonical: str) -> None:
    assert canonical_name(raw) == canonical


def test_a_table_row_is_data_not_an_agreement() -> None:
    """A funder table's row that names the kind of funding ("partnership agreement") is a figure,
    not a report of an agreement signed."""
    text = (
        "Our funding in Ukraine\n\n"
        "Our Ukraine programme is funded by several partners.\n"
        "Table 4. Ukraine programme funding by source (EUR)\n"
        "Source | Amount (EUR) | Use\n"
        "UNHCR, partnership agreement | 1,065,000 | cash assistance for rent\n"
        "Irish Aid | 2,400,000 | winter repairs to damaged homes\n"
    )
    extraction = run(text, "table-row-agreement")
    assert extraction.agreements == ()
    assert {c.donor for c in extraction.commitments} == {"UNHCR", "Ireland"}

"""Commitments: a table of small articles we wrote, each named for the pattern it tests, and a
table of articles that must yield no commitment at all.

Each article is a headline, a blank line and a body of a few sentences, run through
`article_from_text` so that headline and furniture detection happen as in production. A case
lists every commitment the article states (so "one commitment, not two" is checked by the
count) and, for each, only the fields that matter for the case. Money and FX recognition on
their own are tested in test_money.py and test_fx.py.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

import pytest

from aidtracker.extract import extract
from aidtracker.ingest import article_from_text
from aidtracker.records import Article, Commitment, Extraction

Fields = dict[str, Any]


def D(text: str | int) -> Decimal:
    return Decimal(text)


@lru_cache(maxsize=256)
def run(text: str, name: str = "case") -> tuple[Article, Extraction]:
    article = article_from_text(text, source=f"test:{name}")
    return article, extract(article)


def agrees(c: Commitment, want: Fields) -> bool:
    """Whether a commitment has every field value a case states."""
    for field, expected in want.items():
        if field == "equivalents":
            if [(e.amount, e.currency) for e in c.equivalents] != expected:
                return False
        elif field == "evidence_has":  # a phrase of the sentence kept as evidence
            if expected not in c.evidence.text:
                return False
        elif field == "alt_evidence_has":  # a phrase of another sentence stating the same figure
            if not any(expected in e.text for e in c.alt_evidence):
                return False
        elif getattr(c, field) != expected:
            return False
    return True


def show(cs: tuple[Commitment, ...]) -> str:
    rows = [
        f"  donor={c.donor!r} amount={c.amount} {c.currency} scope={c.scope.value} "
        f"instrument={c.instrument.value} status={c.status.value} qty={c.quantity} item={c.item!r} "
        f"channel={c.channel!r} recipient={c.recipient!r} part_of={c.part_of} "
        f"equivalents={[(str(e.amount), e.currency) for e in c.equivalents]} "
        f"kind={c.kind.value} sectors={[s.value for s in c.sectors]}"
        for c in cs
    ]
    return "\n".join(rows) or "  (none)"


def assert_commitments(text: str, expected: list[Fields], name: str) -> None:
    _, extraction = run(text, name)
    found = extraction.commitments
    unmatched = list(found)
    missing = []
    for want in expected:
        hit = next((c for c in unmatched if agrees(c, want)), None)
        if hit is None:
            missing.append(want)
        else:
            unmatched.remove(hit)
    assert not missing and len(found) == len(expected), (
        f"missing {missing}\nextra {len(unmatched)} of {len(found)} found:\n{show(found)}"
    )


def case(name: str, text: str, expected: list[Fields], hard: str | None = None) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=hard)] if hard else []
    return pytest.param(name, text, expected, id=name, marks=marks)


# ---------------------------------------------------------------------------------------------
# Who gives: how news names a donor.
DONORS = [
    case(
        "donor-list-with-followed-by",
        "Donors fill Ukraine's grid fund\n\n"
        "Finland remains the largest contributor to Ukraine's grid fund, with EUR 210 million transferred so "
        "far, followed by Belgium with EUR 90 million and Austria with EUR 40 million.",
        [
            {"donor": "Finland", "amount": D("210e6")},
            {"donor": "Belgium", "amount": D("90e6")},
            {"donor": "Austria", "amount": D("40e6")},
        ],
    ),
    case(
        "gapped-donor-with-article",
        "Two grants for Ukraine's schools\n\n"
        "Ireland is adding a €20 million grant and Portugal a €5 million grant for schools in Ukraine.",
        [{"donor": "Ireland", "amount": D("20e6")}, {"donor": "Portugal", "amount": D("5e6")}],
    ),
    case(
        "giver-after-the-loan-noun",
        "Ukraine's budget gets new money\n\n"
        "In May, Ukraine received the CAD 400 million loan from Canada to cover pensions.",
        [{"donor": "Canada", "amount": D("400e6"), "currency": "CAD"}],
    ),
    case(
        "the-party-beside-the-recipient-gives",
        "Ukraine signs grant for hospitals\n\n"
        "Ukraine and the Nordic Investment Bank (NIB) signed an agreement on a grant of EUR 12 million for heat "
        "pumps in 40 hospitals, the finance ministry said.",
        [{"donor": "Nordic Investment Bank", "amount": D("12e6"), "instrument": "grant"}],
    ),
    case(
        "a-giving-pronoun-passes-over-the-recipients-official",
        "Baltic states add to Ukraine's energy fund\n\n"
        "Lithuania's government approved a contribution of 2 million euros for Ukraine's grid on Wednesday. "
        "Estonian Foreign Minister Margus Tsahkna arrived in Kyiv on Thursday. At a press conference with his "
        "Ukrainian counterpart Andrii Sybiha he announced €1.5m for the Ukraine Energy Support Fund.",
        [
            {"donor": "Lithuania", "amount": D("2e6")},
            {"donor": "Estonia", "amount": D("1.5e6"), "channel": "Ukraine Energy Support Fund"},
        ],
    ),
    case(
        "funding-from-the-government-of-a-state",
        "Finland funds school transport in Ukraine\n\n"
        "The bus is one of 25 school buses, worth €3.1 million, that UNICEF has delivered to communities in "
        "Ukraine with funding from the Government of Finland.",
        [{"donor": "Finland", "amount": D("3.1e6")}],
    ),
    case(
        "a-coordinated-clause-delivers-on-its-own",
        "Allies pledge in Rome\n\n"
        "Ireland's Foreign Minister Simon Harris announced 6 million euros to rebuild schools in Ukraine, and "
        "Slovakia said it would hand over three mine-clearing machines to Ukraine's State Emergency Service.",
        [
            {"donor": "Ireland", "amount": D("6e6")},
            {"donor": "Slovakia", "quantity": D(3), "item": "mine-clearing machines"},
        ],
    ),
    case(
        "a-capital-a-visitor-comes-to-is-no-recipient",
        "Transcript of the joint press conference\n\n"
        "PETR FIALA: I am glad to welcome Prime Minister Shmyhal and his ministers to Prague. Today the "
        "government approved CZK 400 million for the reconstruction of schools in the Kharkiv region. Our "
        "ammunition initiative delivered more than 300,000 rounds to Ukraine this year.",
        [
            {"donor": "Czech Republic", "amount": D("400e6"), "recipient": "Ukraine"},
            {"donor": "Czech Republic", "quantity": D(300000), "item": "rounds"},
        ],
    ),
    case(
        "unnamed-givers-counted-together",
        "Canada tops up its grid fund share\n\n"
        "Canada will add CAD 20 million to the Ukraine Grid Fund, Global Affairs Canada said. The fund, run by "
        "the Canadian agency, has received contributions of about CAD 90 million from 11 donor governments. "
        "In total, Ukraine's treasury has received USD 9.2 billion in external financing this year. "
        "Across all partners, aid to the grid comes to roughly CAD 400 million.",
        [
            {"donor": "Canada", "amount": D("20e6")},
            {"donor": "international partners", "amount": D("90e6")},
            {"donor": "international partners", "amount": D("9.2e9")},
            {"donor": "international partners", "amount": D("400e6")},
        ],
    ),
    case(
        "pooled-fund-gives-its-contributors-money",
        "Grid fund reports a record year\n\n"
        "Norway paid USD 25 million into the Ukraine Energy Support Fund in March. Over the year the Ukraine "
        "Energy Support Fund allocated USD 140 million to repairs of substations in Ukraine.",
        [
            {"donor": "Norway", "amount": D("25e6"), "channel": "Ukraine Energy Support Fund"},
            {"donor": "international partners", "amount": D("140e6"), "channel": "Ukraine Energy Support Fund"},
        ],
    ),
    case(
        "running-total-owner-outranks-the-subject",
        "Denmark adds to grid fund\n\n"
        "Denmark will give Ukraine DKK 100 million through the Ukraine Energy Support Fund, which brings the "
        "Danish total in that fund to DKK 700 million.",
        [
            {"donor": "Denmark", "amount": D("100e6")},
            {"donor": "Denmark", "amount": D("700e6"), "scope": "cumulative"},
        ],
    ),
    case(
        "readiness-to-raise-is-a-prospect",
        "Korea widens its offer\n\n"
        "Korea said it was ready to increase its loan to Ukraine to USD 2 billion through the EDCF.",
        [{"donor": "South Korea", "amount": D("2e9"), "scope": "new"}],
    ),
    case(
        "company-described-by-its-capital-gives-itself",
        "Pumps for Mykolaiv\n\n"
        "Vesikko Systems, a pump maker listed in Helsinki, said it would donate 40 water pumps to Mykolaiv in "
        "Ukraine.",
        [{"donor": "Vesikko Systems", "quantity": D(40), "item": "water pumps"}],
    ),
    case(
        "the-moneys-own-state-gives-when-no-one-is-named",
        "Spain and Canada renew support\n\n"
        "Spain will deliver air defence missiles worth 500 million euros to Ukraine this year, its defence "
        "minister said. Canada also attended the meeting in Madrid. About 40 million Canadian dollars will go to "
        "demining in the Kharkiv region.",
        [
            {"donor": "Spain", "amount": D("500e6"), "currency": "EUR"},
            {"donor": "Canada", "amount": D("40e6"), "currency": "CAD"},
        ],
    ),
    case(
        "onlookers-who-value-a-package-do-not-give-it",
        "Allies weigh more air defence\n\n"
        "Poland sent two more radars to Ukraine in March. Commission President Ursula von der Leyen said the bloc "
        "was preparing a new air defence package that some officials put at about 3 billion euros.",
        [{"donor": "Poland", "quantity": D(2), "item": "radars"}, {"donor": "European Union", "amount": D("3e9")}],
    ),
    case(
        "who-runs-the-money-does-not-give-it",
        "Ireland backs shelters in Ukraine\n\n"
        "Ireland announced new humanitarian support for Ukraine on Monday. The EUR 4 million is administered by "
        "the UN Development Programme.",
        [{"donor": "Ireland", "amount": D("4e6"), "channel": "UNDP"}],
    ),
    case(
        "items-paid-for-by-a-donor-are-its-delivery",
        "Heaters for Kherson\n\n"
        "The city council said 120 gas heaters paid for by Norwegian donations reached Kherson, Ukraine, on Friday.",
        [{"donor": "Norway", "quantity": D(120), "item": "gas heaters"}],
    ),
    case(
        "a-national-relief-agency-funds-for-its-state",
        "Ambulances for Odesa\n\n"
        "UNICEF has delivered four ambulances to Odesa, Ukraine, funded by the King Salman Humanitarian Aid and "
        "Relief Centre.",
        [{"donor": "Saudi Arabia", "quantity": D(4), "item": "ambulances"}],
    ),
    case(
        "items-expected-to-be-delivered",
        "Latvia's ambulance pledge\n\n"
        "Latvia has pledged 40 ambulances to Ukraine. The remaining 15 ambulances are expected to be delivered "
        "in June.",
        [
            {"donor": "Latvia", "quantity": D(40), "item": "ambulances"},
            {"donor": "Latvia", "quantity": D(15), "item": "ambulances", "status": "expected"},
        ],
    ),
    case(
        "a-state-led-group-gives-with-others",
        "Drone coalition reports deliveries\n\n"
        "The Latvian-led drone coalition has delivered more than half a million FPV drones to Ukraine.",
        [{"donor": "Latvia and others", "quantity": D(500000), "item": "FPV drones"}],
    ),
    case(
        "the-money-restated-in-another-currency",
        "Sweden funds Kharkiv heating\n\n"
        "Sweden will give about 20 million euros to repair heating plants in Kharkiv, Ukraine. The money, "
        "SEK 230 million, will be paid over two years.",
        [{"donor": "Sweden", "amount": D("20e6"), "currency": "EUR", "equivalents": [(D("230e6"), "SEK")]}],
    ),
    case(
        "a-list-introduced-without-its-figure",
        "Norway announces new aid for Ukraine\n\n"
        "Norway's development minister announced NOK 300 million in new support for Ukraine on Monday. She "
        "spoke at a meeting in Oslo with Ukrainian officials.\n\n"
        "The new support includes:\n"
        "- NOK 200 million to UNICEF for school meals and psychosocial care;\n"
        "- NOK 100 million for mine action in Kharkiv.",
        [
            {"donor": "Norway", "amount": D("300e6")},
            {"donor": "Norway", "amount": D("200e6"), "part_of": 0},
            {"donor": "Norway", "amount": D("100e6"), "part_of": 0},
        ],
    ),
    case(
        "a-foreign-region-gives-by-its-own-name",
        "Partner regions help Ukraine's Sumy region\n\n"
        "The government of the German federal state of Saxony has handed over 12 diesel generators to Ukraine's "
        "Sumy region. The Opole Province of Poland has donated three fire trucks to Ukraine's rescuers.",
        [
            {"donor": "Saxony", "quantity": D(12), "item": "diesel generators"},
            {"donor": "Opole Province", "quantity": D(3), "item": "fire trucks"},
        ],
    ),
    case(
        "a-regional-news-item-that-never-names-the-recipient",
        "Poltava region receives equipment from Flanders partners\n\n"
        "Poltava region has received new aid from its partners in Belgium, the head of the regional "
        "administration said. The Belgian province of Antwerp has handed over 6 diesel generators to the "
        "region's water utilities. Antwerp also allocated EUR 250,000 to repair a school in Kremenchuk. "
        "Belgian volunteers visited Belgium's twin towns last year, and Belgium's ambassador met the mayor.",
        [
            {"donor": "Antwerp", "quantity": D(6), "item": "diesel generators", "recipient": "Ukraine"},
            {"donor": "Antwerp", "amount": D("250e3"), "currency": "EUR", "recipient": "Ukraine"},
        ],
    ),
    case(
        "a-price-in-the-next-sentence-is-the-deliverys",
        "Ambulances for Ukraine's south\n\n"
        "UNICEF handed over 6 ambulances funded by Portugal to hospitals in Ukraine's Odesa region on Monday. "
        "Portugal's development agency had paid €900,000 for the vehicles and their equipment. "
        "Estonia has handed over 3 fire engines to Ukraine's rescuers. The value of the vehicles is EUR 450,000.",
        [
            {"donor": "Portugal", "quantity": D(6), "item": "ambulances", "amount": D("900e3"), "currency": "EUR"},
            {"donor": "Estonia", "quantity": D(3), "item": "fire engines", "amount": D("450e3"), "currency": "EUR"},
        ],
    ),
    case(
        "an-uncounted-thing-beside-counted-items-is-the-same-delivery",
        "Latvia equips Ukraine's rescuers\n\n"
        "Latvia has handed over four fire trucks and a set of rescue equipment to Ukraine's emergency service.",
        [{"donor": "Latvia", "quantity": D(4), "item": "fire trucks"}],
    ),
    case(
        "units-stand-for-the-items-named-before",
        "Heat pumps for Ukraine's schools\n\n"
        "Norway will donate 150 air-to-water heat pumps to schools in Ukraine, the ministry said. "
        "The first 60 units were shipped on Monday.",
        [
            {"donor": "Norway", "quantity": D(150), "item": "air-to-water heat pumps"},
            {"donor": "Norway", "quantity": D(60), "item": "air-to-water heat pumps"},
        ],
    ),
    case(
        "a-list-lines-uncounted-thing-is-what-its-money-buys",
        "Denmark's winter package for Ukraine\n\n"
        "Denmark will give Ukraine DKK 300 million this winter. The package includes:\n"
        "- DKK 200 million to the Ukraine Energy Support Fund, for the repair of substations damaged by "
        "Russian strikes;\n"
        "- DKK 100 million for mobile boiler houses.",
        [
            {"donor": "Denmark", "amount": D("300e6")},
            {"donor": "Denmark", "amount": D("200e6"), "part_of": 0},
            {"donor": "Denmark", "amount": D("100e6"), "part_of": 0},
        ],
    ),
    case(
        "a-company-described-as-a-group-gives-itself-and-keeps-its-name",
        "Corvanta delivers water purification units to Ukraine\n\n"
        "Corvanta, the Antwerp-based specialty chemicals group, has handed over 12 containerised water "
        "purification units to the water utility of Mykolaiv in Ukraine, the Belgian embassy said. The units, "
        "valued at EUR 3.4 million, can treat 6,000 cubic metres of water a day.",
        [
            {
                "donor": "Corvanta",
                "quantity": D(12),
                "item": "containerised water purification units",
                "amount": D("3.4e6"),
                "currency": "EUR",
            }
        ],
    ),
    case(
        "whom-a-givers-phrase-is-for-does-not-give",
        "Iceland's support for Ukraine\n\n"
        "Iceland has supported Ukraine since 2022. A March 2024 package, which included ISK 300 million for "
        "NATO's Comprehensive Assistance Package trust fund, took Iceland's total past ISK 4 billion.",
        [
            {"donor": "Iceland", "amount": D("300e6"), "currency": "ISK"},
            {"donor": "Iceland", "amount": D("4e9"), "currency": "ISK", "scope": "cumulative"},
        ],
    ),
    case(
        "what-many-gave-at-a-conference-is-the-partners-together",
        "Donors meet in Vilnius on Ukraine's schools\n\n"
        "Lithuania hosted the Vilnius Education Recovery Conference for Ukraine on Monday. The pledges made "
        "at the conference total more than EUR 120 million.",
        [{"donor": "international partners", "amount": D("120e6"), "currency": "EUR"}],
    ),
    case(
        "two-lines-of-one-list-with-the-same-sum-are-two-parts",
        "Portugal's new package for Ukraine\n\n"
        "Portugal has announced new support for Ukraine. What does it contain?\n"
        "- EUR 4 million for the International Fund for Ukraine;\n"
        "- EUR 4 million in humanitarian aid through UNICEF.",
        [
            {"donor": "Portugal", "amount": D("4e6"), "currency": "EUR"},
            {"donor": "Portugal", "amount": D("4e6"), "currency": "EUR", "channel": "UNICEF"},
        ],
    ),
    case(
        "a-relative-clause-on-the-subject-does-not-qualify-its-figure",
        "Canada's loan to Ukraine\n\n"
        "Canada's CAD 5 billion loan, which is repaid from the profits of immobilised Russian assets, has been "
        "disbursed to Ukraine in full.",
        [{"donor": "Canada", "amount": D("5e9"), "currency": "CAD", "instrument": "loan", "status": "provided"}],
    ),
    case(
        "the-rest-scheduled-to-arrive-is-delivered-too",
        "Sweden sends fire engines to Ukraine\n\n"
        "Sweden will supply 30 fire engines to Ukraine's emergency service. The remaining 18 fire engines are "
        "scheduled to arrive by June.",
        [
            {"donor": "Sweden", "quantity": D(30), "item": "fire engines"},
            {"donor": "Sweden", "quantity": D(18), "item": "fire engines"},
        ],
    ),
    case(
        "a-delivery-and-the-tally-it-lifts",
        "Estonia sends ambulances to Ukraine\n\n"
        "Estonia handed over 8 ambulances to Ukraine's health ministry on Monday, bringing the number of "
        "ambulances it has donated since 2022 to 45.",
        [
            {"donor": "Estonia", "quantity": D(8), "item": "ambulances", "scope": "new"},
            {"donor": "Estonia", "quantity": D(45), "item": "ambulances", "scope": "cumulative"},
        ],
    ),
    case(
        "guns-on-a-package-list-are-items",
        "Norway's artillery package for Ukraine\n\n"
        "Norway will send a new artillery package to Ukraine. The package also includes:\n\n"
        "- 24 AS90 self-propelled guns, to be delivered with ammunition;\n",
        [{"donor": "Norway", "quantity": D(24), "item": "AS90 self-propelled guns"}],
    ),
    case(
        "a-named-foundation-gives-itself",
        "Ambulances for Ukraine's Sumy region\n\n"
        "The charitable Marenka Foundation, registered in Prague, delivered six ambulances to hospitals in "
        "Ukraine's Sumy region on Friday.",
        [{"donor": "Marenka Foundation", "quantity": D(6), "item": "ambulances"}],
    ),
    case(
        "the-council-is-the-town-council-named-before",
        "The Bristol City Council\n\n"
        "Minutes of the meeting of 12 March 2025.\n\n"
        "The Council noted the report on its twin city in Ukraine. "
        "The Council had sent 9 fire engines to Ukraine since 2022.",
        [{"donor": "Bristol City Council", "quantity": D(9), "item": "fire engines", "scope": "cumulative"}],
    ),
    case(
        "sleeping-bags-valued-at-a-sum",
        "Retailer helps displaced families in Ukraine\n\n"
        "Atlantic Outdoor, an outdoor-equipment retailer based in Cork, donated 4,000 sleeping bags, valued at "
        "EUR 140,000, to displaced families in Ukraine.",
        [{"donor": "Atlantic Outdoor", "quantity": D(4000), "item": "sleeping bags", "amount": D("140e3")}],
    ),
    case(
        "money-from-a-list-of-kinds-of-funders",
        "Our work in Ukraine\n\n"
        "Our Ukraine programme received EUR 4.2 million from institutional, foundation and corporate funders "
        "in the year to March 2025.",
        [{"donor": "international partners", "amount": D("4.2e6"), "currency": "EUR"}],
    ),
    case(
        "a-price-of-other-things-stays-a-figure-of-its-own",
        "Lithuania helps Ukraine's grid\n\n"
        "Lithuania has handed over 12 transformers to Ukraine. Lithuania will also pay EUR 2 million for "
        "a new substation in Ukraine's Sumy region.",
        [
            {"donor": "Lithuania", "quantity": D(12), "item": "transformers"},
            {"donor": "Lithuania", "amount": D("2e6"), "currency": "EUR"},
        ],
    ),
    case(
        "treasury-is-its-state",
        "France signs water deals with Ukraine\n\n"
        "France signed two grants for Ukraine on Tuesday. The French Treasury runs a separate EUR 150 million "
        "fund that finances projects of French firms in Ukraine.",
        [{"donor": "France", "amount": D("150e6")}],
    ),
    case(
        "coalition-donor",
        "Partners' support tops $100 billion\n\n"
        "Since 2022 Ukraine has attracted USD 100 billion in budget support from international partners, the "
        "finance ministry said.",
        [{"donor": "international partners", "amount": D("100e9")}],
    ),
    case(
        "possessive-japan-contribution",
        "Japan pledges new aid for Ukraine\n\n"
        "Japan's $12.1 billion contribution makes it one of the largest donors to Ukraine, officials said.",
        [{"donor": "Japan", "amount": D("12.1e9"), "currency": "USD", "recipient": "Ukraine"}],
    ),
    case(
        "possessive-with-curly-apostrophe",
        "Japan’s contribution to Ukraine\n\n"
        "Japan’s $12.1 billion contribution makes it one of the largest donors to Ukraine, officials said.",
        [{"donor": "Japan", "amount": D("12.1e9"), "currency": "USD"}],
    ),
    case(
        "relative-clause-united-states-and-others",
        "Western aid to Ukraine under review\n\n"
        "Analysts reviewed the $111 billion that the United States and other Western nations have provided "
        "to Ukraine since 2022.",
        [{"donor": "United States and others", "amount": D("111e9"), "currency": "USD", "scope": "cumulative"}],
    ),
    case(
        "from-united-states-grant",
        "Ukraine gets school repair grant\n\n"
        "Ukraine will receive a $20 million grant from the United States to repair schools damaged in the war.",
        [{"donor": "United States", "amount": D("20e6"), "currency": "USD", "instrument": "grant"}],
    ),
    case(
        "passive-allocated-by-finland",
        "Finland allocates funds for Ukraine\n\n"
        "€50 million was allocated by Finland to support Ukraine's energy sector, the ministry said.",
        [{"donor": "Finland", "amount": D("50e6"), "currency": "EUR", "status": "allocated"}],
    ),
    case(
        "passive-by-the-danish-government",
        "Danish money for Ukraine's power plants\n\n"
        "DKK 250 million was allocated by the Danish government to repair Ukraine's power plants.",
        [{"donor": "Denmark", "amount": D("250e6"), "currency": "DKK", "status": "allocated"}],
    ),
    case(
        "grant-from-the-government-of-japan-signed-by-ukraine",
        "Japan gives grant for demining in Ukraine\n\n"
        "Ukraine signed an agreement on a grant of 3 billion yen from the Government of Japan for demining "
        "equipment.",
        [{"donor": "Japan", "recipient": "Ukraine", "amount": D("3e9"), "currency": "JPY", "instrument": "grant"}],
    ),
    case(
        "two-donors-one-figure",
        "UK and Norway fund repairs to Ukraine's grid\n\n"
        "The United Kingdom and Norway will jointly provide £20 million to repair Ukraine's grid.",
        [{"donor": "United Kingdom and Norway", "amount": D("20e6"), "currency": "GBP"}],
    ),
    case(
        "minister-then-she-promised-generators",
        "Foreign minister visits Kyiv before winter\n\n"
        "Japanese Foreign Minister Yoko Kamikawa arrived in Kyiv on Saturday, a week after Germany hosted a "
        "donor meeting for Ukraine. She promised five generators for Ukrainian hospitals.",
        [{"donor": "Japan", "quantity": D(5), "item": "generators", "instrument": "in_kind", "status": "pledged"}],
    ),
    case(
        "minister-surname-among-two-ministers",
        "Ministers meet in Kyiv on drone threat\n\n"
        "Japanese Foreign Minister Yoko Kamikawa met German Foreign Minister Annalena Baerbock in Kyiv on "
        "Saturday to discuss support for Ukraine. Kamikawa announced $37 million to help Ukraine detect drones.",
        [{"donor": "Japan", "amount": D("37e6"), "currency": "USD"}],
    ),
    case(
        "capital-london-has-pledged",
        "UK pledges military support for Ukraine\n\n"
        "London has pledged £3 billion in military aid to Ukraine for this year, the defence secretary said.",
        [{"donor": "United Kingdom", "amount": D("3e9"), "currency": "GBP", "status": "pledged"}],
    ),
    case(
        "capital-tokyo-would-allocate",
        "Tokyo to allocate funds for Ukraine\n\n"
        "Tokyo would allocate ¥15.8 billion for Ukraine's recovery, the government said.",
        [{"donor": "Japan", "amount": D("15.8e9"), "currency": "JPY", "status": "allocated"}],
    ),
    case(
        "gapped-list-france-italy-spain",
        "European donors step up support for Ukraine\n\n"
        "France pledged €200 million, Italy €150 million and Spain €100 million to Ukraine's reconstruction.",
        [
            {"donor": "France", "amount": D("200e6"), "currency": "EUR"},
            {"donor": "Italy", "amount": D("150e6"), "currency": "EUR"},
            {"donor": "Spain", "amount": D("100e6"), "currency": "EUR"},
        ],
    ),
    case(
        "including-part-inherits-whole-donor",
        "UK announces new support for Ukraine\n\n"
        "The United Kingdom announced £600 million in support for Ukraine, including £242 million for "
        "Ukraine's energy and recovery needs.",
        [
            {"donor": "United Kingdom", "amount": D("600e6"), "currency": "GBP"},
            {"donor": "United Kingdom", "amount": D("242e6"), "currency": "GBP"},
        ],
    ),
    case(
        "including-part-points-at-its-whole",
        "UK announces new support for Ukraine\n\n"
        "The United Kingdom announced £600 million in support for Ukraine, including £242 million for "
        "energy projects.",
        [
            {"amount": D("600e6"), "part_of": None},
            {"amount": D("242e6"), "part_of": 0},
        ],
    ),
    case(
        "package-includes-parts",
        "UK package for Ukraine\n\n"
        "The United Kingdom announced a £50 million package for Ukraine on Monday. The package includes "
        "£20 million for demining and £10 million for energy repairs.",
        [
            {"donor": "United Kingdom", "amount": D("50e6"), "part_of": None},
            {"donor": "United Kingdom", "amount": D("20e6"), "part_of": 0},
            {"donor": "United Kingdom", "amount": D("10e6"), "part_of": 0},
        ],
    ),
    case(
        "of-this-part-in-the-next-sentence",
        "Japan adds aid for Ukraine\n\n"
        "Japan announced an additional $4.5 billion for Ukraine. Of this, $1 billion will go to humanitarian "
        "aid.",
        [
            {"donor": "Japan", "amount": D("4.5e9"), "part_of": None},
            {"donor": "Japan", "amount": D("1e9"), "part_of": 0},
        ],
    ),
    case(
        "pronoun-it-after-government",
        "Swiss government approves aid for Ukraine\n\n"
        "The Swiss Federal Council approved CHF 1.5 billion in reconstruction aid for Ukraine. "
        "It will also provide CHF 5 million for demining.",
        [
            {"donor": "Switzerland", "amount": D("1.5e9"), "currency": "CHF", "status": "allocated"},
            {"donor": "Switzerland", "amount": D("5e6"), "currency": "CHF"},
        ],
    ),
    case(
        "the-bloc-is-the-european-union",
        "EU to pay next tranche to Ukraine\n\n"
        "The bloc will disburse €4.5 billion to Ukraine under the Ukraine Facility next week, the European "
        "Commission said.",
        [{"donor": "European Union", "amount": D("4.5e9"), "currency": "EUR", "status": "pledged"}],
    ),
    case(
        "national-agency-gives-for-its-country",
        "JICA signs grant for Ukraine's grid\n\n"
        "JICA signed a grant agreement with Ukraine for 5 billion yen to restore power substations.",
        [{"donor": "Japan", "amount": D("5e9"), "currency": "JPY", "instrument": "grant"}],
    ),
    case(
        "national-agency-is-the-channel",
        "JICA signs grant for Ukraine's grid\n\n"
        "JICA signed a grant agreement with Ukraine for 5 billion yen to restore power substations.",
        [{"donor": "Japan", "amount": D("5e9"), "channel": "JICA"}],
    ),
    case(
        "twin-city-nuremberg-in-kind",
        "Nuremberg sends generators to Kharkiv\n\n"
        "The Ukrainian city of Kharkiv has received 20 generators from its twin city Nuremberg, the mayor said.",
        [{"donor": "Nuremberg", "quantity": D(20), "item": "generators", "recipient": "Ukraine"}],
    ),
    case(
        "twin-city-named-again-as-the-german-city",
        "Nuremberg sends generators to Kharkiv\n\n"
        "The Ukrainian city of Kharkiv has received 20 generators from its twin city Nuremberg, the mayor said. "
        "The German city also donated €2 million to help repair Kharkiv's heating network.",
        [
            {"donor": "Nuremberg", "quantity": D(20), "item": "generators"},
            {"donor": "Nuremberg", "amount": D("2e6"), "currency": "EUR"},
        ],
        hard="'The German city' is Nuremberg by coreference; the demonym rule reads it as Germany",
    ),
    case(
        "counted-object-of-a-handing-verb-is-an-item",
        "Dutch firm equips clinics in Ukraine\n\n"
        "Ortheon BV, a Dutch medical firm, has donated 400 wheelchair cushions to clinics in Lviv, the company said.",
        [{"donor": "Ortheon", "quantity": D(400), "item": "wheelchair cushions"}],
    ),
    case(
        "with-usaid-funding-opening-the-sentence",
        "UNDP equips schools in Ukraine\n\n"
        "With USAID funding, UNDP delivered 300 laptops to schools in the Kharkiv region of Ukraine.",
        [{"donor": "United States", "quantity": D(300), "item": "laptops"}],
    ),
    case(
        "with-usaid-funding-undp-is-the-channel",
        "UNDP equips schools in Ukraine\n\n"
        "UNDP delivered 300 laptops to schools in the Kharkiv region of Ukraine with USAID funding.",
        [{"donor": "United States", "quantity": D(300), "item": "laptops", "channel": "UNDP"}],
    ),
]

# ---------------------------------------------------------------------------------------------
# New money or a running total.
SCOPES = [
    case(
        "the-total-value-of-aid-rises-to-a-running-total",
        "Estonia approves new package for Ukraine\n\n"
        "The Estonian government approved a new military aid package for Ukraine worth EUR 25 million. With "
        "this package, the total value of Estonia's military assistance to Ukraine rises to EUR 600 million.",
        [
            {"donor": "Estonia", "amount": D("25e6"), "scope": "new"},
            {"donor": "Estonia", "amount": D("600e6"), "scope": "cumulative"},
        ],
    ),
    case(
        "a-part-of-a-running-total-is-a-running-total-a-package-before-it-stays-new",
        "New Zealand adds NZ$20 million for Ukraine\n\n"
        "New Zealand will provide a further NZ$20 million to Ukraine. Together with this, New Zealand's total "
        "support now exceeds NZ$150 million, including NZ$90 million in military assistance.",
        [
            {"amount": D("20e6"), "scope": "new"},
            {"amount": D("150e6"), "scope": "cumulative"},
            {"amount": D("90e6"), "scope": "cumulative", "part_of": 1},
        ],
    ),
    case(
        "a-sentence-that-opens-with-since-is-a-running-total-and-of-that-amount-a-part",
        "Finland sets aside €250 million for Ukraine\n\n"
        "The Finnish government will allocate €250 million to Ukraine next year. Of that amount, €150 million is "
        "earmarked for air defence, while €100 million will go to the energy sector. Since 2023, Finland has "
        "provided a total of €3.1 billion to Ukraine.",
        [
            {"donor": "Finland", "amount": D("250e6"), "scope": "new", "part_of": 3},
            {"donor": "Finland", "amount": D("150e6"), "part_of": 0},
            {"donor": "Finland", "amount": D("100e6"), "part_of": 0},
            {"donor": "Finland", "amount": D("3.1e9"), "scope": "cumulative"},
        ],
    ),
    case(
        "cumulative-has-so-far-provided",
        "Germany's military aid to Ukraine\n\n"
        "Germany has so far provided €28 billion in military assistance to Ukraine, the ministry said.",
        [{"donor": "Germany", "amount": D("28e9"), "scope": "cumulative", "status": "provided"}],
    ),
    case(
        "cumulative-since-2022",
        "Germany's support for Ukraine since the invasion\n\n"
        "Since 2022, Germany has given Ukraine about €28 billion in military support.",
        [{"donor": "Germany", "amount": D("28e9"), "scope": "cumulative"}],
    ),
    case(
        "cumulative-in-total",
        "Estonia's aid to Ukraine passes half a billion\n\n"
        "Estonia has provided €500 million in total to Ukraine, the foreign ministry said.",
        [{"donor": "Estonia", "amount": D("500e6"), "scope": "cumulative"}],
    ),
    case(
        "additional-is-new-and-bringing-total-is-cumulative",
        "Sweden adds humanitarian aid for Ukraine\n\n"
        "Sweden will provide an additional SEK 1 billion in humanitarian aid to Ukraine, bringing its total "
        "support since 2022 to SEK 40 billion.",
        [
            {"donor": "Sweden", "amount": D("1e9"), "currency": "SEK", "scope": "new"},
            {"donor": "Sweden", "amount": D("40e9"), "currency": "SEK", "scope": "cumulative"},
        ],
    ),
    case(
        "additional-is-new",
        "Poland sends more aid to Ukraine\n\n"
        "Poland will send an additional PLN 500 million in military aid to Ukraine, the defence ministry said.",
        [{"donor": "Poland", "amount": D("500e6"), "currency": "PLN", "scope": "new", "status": "pledged"}],
    ),
    case(
        "would-comprise-a-total-of-is-new",
        "Norway unveils multi-year package for Ukraine\n\n"
        "Norway's support package for Ukraine would comprise a total of NOK 75 billion over the next five years.",
        [{"donor": "Norway", "amount": D("75e9"), "currency": "NOK", "scope": "new"}],
    ),
]

# ---------------------------------------------------------------------------------------------
# One commitment however often it is written, and which currency a bare unit is.
FIGURES = [
    case(
        "a-second-figure-leaves-its-currency-to-the-first",
        "Ireland funds Ukraine's winter\n\n"
        "Ireland will provide EUR 12 million to Ukraine this winter. Some EUR 8 million will go to the "
        "energy support fund that repairs substations, and 4 million to UNICEF for school heating.",
        [
            {"donor": "Ireland", "amount": D("12e6"), "currency": "EUR"},
            {"donor": "Ireland", "amount": D("8e6"), "currency": "EUR"},
            {"donor": "Ireland", "amount": D("4e6"), "currency": "EUR", "channel": "UNICEF"},
        ],
    ),
    case(
        "a-conversion-set-off-by-commas",
        "Prague funds Ukrainian water supply\n\n"
        "The Czech government approved CZK 300 million, that is about 12 million euros, for the water supply "
        "of Mykolaiv in Ukraine.",
        [{"donor": "Czech Republic", "amount": D("300e6"), "currency": "CZK", "equivalents": [(D("12e6"), "EUR")]}],
    ),
    case(
        "a-signatorys-title-is-not-the-figures-words",
        "Spain opens a credit line for Ukraine\n\n"
        "Ukraine's Finance Minister Serhii Marchenko and the Minister of Economy, Trade and Business of Spain "
        "Carlos Cuerpo signed a memorandum on a concessional financing line of up to EUR 300 million for "
        "Ukraine's recovery.",
        [{"donor": "Spain", "amount": D("300e6")}],
    ),
    case(
        "money-from-a-donor-that-lets-an-agency-act",
        "Austria helps Ukrainian schools\n\n"
        "UNICEF is repairing school shelters in Ukraine. In addition, €2.5m from the Austrian Development Agency "
        "has allowed UNICEF to repair the shelters of 30 schools in Ukraine.",
        [{"donor": "Austria", "amount": D("2.5e6")}],
    ),
    case(
        "bracketed-conversion-is-an-equivalent",
        "Netherlands gives air defence money to Ukraine\n\n"
        "The Netherlands will give €100 million (about $108 million) to Ukraine for air defence.",
        [
            {
                "donor": "Netherlands",
                "amount": D("100e6"),
                "currency": "EUR",
                "equivalents": [(D("108e6"), "USD")],
            }
        ],
    ),
    case(
        "headline-repeats-body-figure",
        "Finland gives €50 million for Ukraine's power grid\n\n"
        "Finland will give €50 million to help repair Ukraine's power grid, the foreign ministry said on "
        "Sunday. The money will buy transformers for damaged substations.",
        [
            {
                "donor": "Finland",
                "amount": D("50e6"),
                "evidence_has": "foreign ministry said",
                "alt_evidence_has": "Finland gives €50 million",
            }
        ],
    ),
    case(
        "bare-dollar-is-aud-for-australian-donor",
        "Australia announces new package for Ukraine\n\n"
        "The Australian Government will provide $50 million in military assistance to Ukraine, the Prime "
        "Minister said.",
        [{"donor": "Australia", "amount": D("50e6"), "currency": "AUD"}],
    ),
    case(
        "bare-dollar-is-aud-when-the-text-marks-us-dollars",
        "Answer to a question on notice\n\n"
        "New Zealand has provided $15 million in humanitarian assistance to Ukraine this year. Figures are in "
        "New Zealand dollars; at the rate used by the Ministry, NZ$1 equals US$0.60.",
        [{"donor": "New Zealand", "amount": D("15e6"), "currency": "NZD"}],
    ),
    case(
        "enumerated-lines-are-parts-of-the-package-that-introduces-them",
        "Answer to a question on notice\n\n"
        "In the 2024-25 financial year, New Zealand has provided $9 million in humanitarian assistance to "
        "Ukraine. This comprises:\n"
        "(a) $4 million to the International Committee of the Red Cross for health services;\n"
        "(b) $3 million to the World Food Programme for food parcels; and\n"
        "(c) $2 million to the UN Development Programme for the repair of boiler houses.",
        [
            {"donor": "New Zealand", "amount": D("9e6"), "status": "provided"},
            {"donor": "New Zealand", "amount": D("4e6"), "channel": "International Committee of the Red Cross",
             "status": "provided", "part_of": 0},
            {"donor": "New Zealand", "amount": D("3e6"), "part_of": 0},
            {"donor": "New Zealand", "amount": D("2e6"), "channel": "UNDP", "part_of": 0},
        ],
    ),
    case(
        "committed-vehicles-are-a-delivery",
        "Answer to a question on notice\n\n"
        "New Zealand has committed 40 light utility vehicles to Ukraine since 2022.",
        [{"donor": "New Zealand", "quantity": D(40), "item": "light utility vehicles"}],
    ),
    case(
        "bare-dollar-is-usd-when-text-writes-aud",
        "Australia boosts Ukraine assistance\n\n"
        "Australia will provide AUD 31 million (about $20 million) in humanitarian aid to Ukraine.",
        [{"donor": "Australia", "amount": D("31e6"), "currency": "AUD", "equivalents": [(D("20e6"), "USD")]}],
    ),
    case(
        "kroner-resolved-by-donor-denmark",
        "Denmark boosts artillery aid to Ukraine\n\n"
        "Denmark will donate 1.5 billion kroner to Ukraine to buy artillery shells.",
        [{"donor": "Denmark", "amount": D("1.5e9"), "currency": "DKK"}],
    ),
    case(
        "kroner-resolved-by-donor-norway",
        "Norway increases energy aid for Ukraine\n\n"
        "Norway will contribute 2 billion kroner to Ukraine's energy sector this winter.",
        [{"donor": "Norway", "amount": D("2e9"), "currency": "NOK"}],
    ),
]

# ---------------------------------------------------------------------------------------------
# Loans, grants, guarantees, in-kind counts, channels and statuses.
KINDS = [
    case(
        "in-kind-items-priced-by-valued-at",
        "Canada to send armoured vehicles\n\n"
        "Canada will provide 39 armoured combat support vehicles to Ukraine, valued at $90 million, the "
        "defence minister said.",
        [{"donor": "Canada", "quantity": D(39), "amount": D("90e6"), "currency": "CAD", "instrument": "in_kind"}],
    ),
    case(
        "two-equal-figures-in-one-sentence-are-two-commitments",
        "Norway funds air defence and drones\n\n"
        "Norway will provide NOK 500 million to Ukraine for air defence and NOK 500 million for "
        "drones.",
        [
            {"donor": "Norway", "amount": D("500e6"), "currency": "NOK"},
            {"donor": "Norway", "amount": D("500e6"), "currency": "NOK"},
        ],
    ),
    case(
        "bulleted-items-under-an-introducing-sentence",
        "Sweden announces its 17th support package\n\n"
        "Sweden announced its 17th military support package for Ukraine on Thursday. The package includes:\n\n"
        "• 12 Archer artillery systems;\n"
        "• Approximately 20,000 rounds of artillery ammunition;\n"
        "• 8 tracked armoured vehicles;",
        [
            {"donor": "Sweden", "quantity": D(12), "item": "Archer artillery systems"},
            {"donor": "Sweden", "quantity": D(20000), "item": "rounds of artillery ammunition"},
            {"donor": "Sweden", "quantity": D(8), "item": "tracked armoured vehicles"},
        ],
    ),
    case(
        "lend-is-a-loan",
        "EIB lends to Ukraine for water supply\n\n"
        "The European Investment Bank will lend Ukraine €300 million to rebuild water supply systems.",
        [{"donor": "European Investment Bank", "amount": D("300e6"), "instrument": "loan"}],
    ),
    case(
        "world-bank-loan-guaranteed-by-uk",
        "World Bank loan for Ukraine backed by Britain\n\n"
        "Ukraine will receive a $500 million World Bank loan guaranteed by the United Kingdom to support its "
        "budget.",
        [
            {"donor": "World Bank", "amount": D("500e6"), "currency": "USD", "instrument": "loan"},
            {"donor": "United Kingdom", "amount": D("500e6"), "instrument": "guarantee", "channel": "World Bank"},
        ],
    ),
    case(
        "a-round-up-sentence-naming-one-other-state-is-that-states-aid",
        "Winter aid round-up\n\n"
        "Ireland will provide €10 million to Ukraine for generators, the Irish government said. "
        "Separately, Portugal's foreign ministry says its humanitarian assistance to Ukraine has exceeded "
        "€40 million.",
        [{"donor": "Ireland", "amount": D("10e6")}, {"donor": "Portugal", "amount": D("40e6")}],
    ),
    case(
        "loan-backed-by-a-guarantee-from-a-state",
        "Grid repairs financed\n\n"
        "The European Investment Bank approved a €120 million loan, backed by a guarantee from Norway, to "
        "repair substations in Ukraine.",
        [
            {"donor": "European Investment Bank", "amount": D("120e6"), "instrument": "loan"},
            {"donor": "Norway", "amount": D("120e6"), "instrument": "guarantee"},
        ],
    ),
    case(
        "guarantee-stated-in-the-next-sentence",
        "Gas for the winter\n\n"
        "The EBRD is lending €200 million to Ukraine's gas company to buy gas for the winter. It is backed by a "
        "guarantee from the European Union.",
        [
            {"donor": "European Bank for Reconstruction and Development", "amount": D("200e6")},
            {"donor": "European Union", "amount": D("200e6"), "instrument": "guarantee"},
        ],
    ),
    case(
        "guarantor-named-in-the-next-sentence-without-the-word-guarantee",
        "Gas for the winter\n\n"
        "The EBRD is lending €200 million to Ukraine's gas company to buy gas for the winter. It is backed by "
        "the European Union.",
        [
            {"donor": "European Bank for Reconstruction and Development", "amount": D("200e6")},
            {"donor": "European Union", "amount": D("200e6"), "instrument": "guarantee"},
        ],
    ),
    case(
        "figure-opens-the-sentence-and-the-copula-names-the-lender",
        "Farm support\n\n"
        "The package was approved on Monday. $400 million is an IBRD loan to Ukraine that Canada backs with a "
        "credit guarantee.",
        [
            {"donor": "World Bank", "amount": D("400e6"), "instrument": "loan"},
            {"donor": "Canada", "amount": D("400e6"), "instrument": "guarantee"},
        ],
    ),
    case(
        "in-kind-count-of-turbine-generators",
        "Japan hands over turbines to Ukraine\n\n"
        "Japan handed over five mobile gas turbine power generators to Ukraine's grid operator on Friday.",
        [
            {
                "donor": "Japan",
                "quantity": D(5),
                "item": "mobile gas turbine power generators",
                "instrument": "in_kind",
                "amount": None,
            }
        ],
    ),
    case(
        "in-kind-count-with-model-number",
        "Netherlands sends tanks to Ukraine\n\n"
        "The Netherlands will deliver 14 Leopard 2A4 tanks to Ukraine together with Denmark, the defence "
        "ministry said.",
        [{"quantity": D(14), "item": "Leopard 2A4 tanks", "instrument": "in_kind"}],
        hard="en_core_web_sm parses '14 Leopard 2A4 tanks' as '14 Leopard' plus '2A4 tanks'; needs a token pattern",
    ),
    case(
        "in-kind-count-inside-a-money-package",
        "Canada's new military aid to Ukraine\n\n"
        "Canada will provide C$500 million in military aid to Ukraine, the defence minister said. The package "
        "includes eight armoured vehicles.",
        [
            {"donor": "Canada", "amount": D("500e6"), "currency": "CAD"},
            {"donor": "Canada", "quantity": D(8), "item": "armoured vehicles", "instrument": "in_kind"},
        ],
    ),
    case(
        "multi-year-plan-until-2036-is-new",
        "Switzerland's long-term plan for Ukraine\n\n"
        "Switzerland plans to spend CHF 5 billion on Ukraine's reconstruction until 2036, the Federal Council "
        "said.",
        [{"donor": "Switzerland", "amount": D("5e9"), "currency": "CHF", "scope": "new", "status": "pledged"}],
    ),
    case(
        "channel-through-world-food-programme",
        "Sweden funds food aid for Ukraine\n\n"
        "Sweden will contribute SEK 200 million to Ukraine through the World Food Programme to feed families.",
        [{"donor": "Sweden", "amount": D("200e6"), "currency": "SEK", "channel": "World Food Programme"}],
    ),
    case(
        "channel-to-a-nato-fund",
        "Denmark pays into NATO fund for Ukraine\n\n"
        "Denmark will pay €30 million to a NATO fund that buys fuel and medical supplies for Ukraine.",
        [{"donor": "Denmark", "amount": D("30e6"), "channel": "NATO"}],
    ),
    case(
        "status-disbursed-is-provided",
        "US disburses budget support to Ukraine\n\n"
        "The United States has disbursed $1.2 billion to Ukraine's budget through the World Bank.",
        [{"donor": "United States", "amount": D("1.2e9"), "status": "provided", "channel": "World Bank"}],
    ),
    case(
        "channel-of-a-listed-figure-via-a-programme",
        "UK aid for Ukraine\n\n"
        "The UK package includes £3 million to fund grain deliveries to Syria via the World Food Programme, "
        "£17 million for energy projects and £10 million to support small businesses.",
        [
            {"amount": D("3e6"), "channel": "World Food Programme"},
            {"amount": D("17e6"), "channel": None},
            {"amount": D("10e6"), "channel": None},
        ],
    ),
    case(
        "channel-a-fund-the-money-is-given-to",
        "Australia adds support for Ukraine\n\n"
        "Australia will also provide AUD10 million to the UN Humanitarian Fund, the minister said.",
        [{"donor": "Australia", "amount": D("10e6"), "channel": "UN Ukraine Humanitarian Fund"}],
    ),
    case(
        "channel-not-the-donors-own-government",
        "Swiss government backs Ukraine's recovery\n\n"
        "The Swiss Federal Council approved CHF 1.5 billion for Ukraine's reconstruction on Friday.",
        [{"donor": "Switzerland", "amount": D("1.5e9"), "channel": None}],
    ),
    case(
        "channel-the-donors-own-agency",
        "Swedish agency supports Ukraine\n\n"
        "Sida will provide SEK 100 million to Ukraine for repairs to schools.",
        [{"donor": "Sweden", "amount": D("100e6"), "channel": "Sida"}],
    ),
    case(
        "additional-after-the-figure-is-new-beside-a-total",
        "Australia adds support\n\n"
        "Australia has committed A$50m in additional assistance to Ukraine, bringing its total support to more than "
        "A$1.5bn.",
        [
            {"donor": "Australia", "amount": D("50e6"), "scope": "new"},
            {"donor": "Australia", "amount": D("1.5e9"), "scope": "cumulative"},
        ],
    ),
    case(
        "status-donor-will-provide-is-pledged",
        "Belgium to fund Ukraine's grid\n\n"
        "Belgium will provide €50 million to Ukraine for repairs to its power grid.",
        [{"donor": "Belgium", "amount": D("50e6"), "status": "pledged"}],
    ),
    case(
        "status-recipient-will-receive-is-announced",
        "Ukraine's grid to get Belgian money\n\n"
        "Ukraine will receive €50 million from Belgium for repairs to its power grid.",
        [{"donor": "Belgium", "amount": D("50e6"), "status": "announced"}],
    ),
    case(
        "status-will-be-provided-is-announced",
        "Money for Ukraine's grid\n\n"
        "Belgium's energy minister said €50 million will be provided to Ukraine for repairs to its power grid.",
        [{"donor": "Belgium", "amount": D("50e6"), "status": "announced"}],
    ),
    case(
        "status-unnamed-sources-is-expected",
        "Report: US readies new aid for Ukraine\n\n"
        "The United States is expected to announce $300 million in new military aid to Ukraine, according to "
        "people familiar with the matter.",
        [{"donor": "United States", "amount": D("300e6"), "status": "expected"}],
    ),
]

# ---------------------------------------------------------------------------------------------
# Kind (Kiel-style category) and sectors: from the figure's own phrase first, then its clause.
CATEGORIES = [
    case(
        "listed-figures-each-take-their-own-purpose",
        "Canada announces support for Ukraine\n\n"
        "Canada will provide Ukraine with CAD 40 million for food deliveries, CAD 25 million for energy projects "
        "and CAD 10 million for small businesses.",
        [
            {"amount": D("40e6"), "kind": "humanitarian", "sectors": ("food_security",)},
            {"amount": D("25e6"), "kind": "reconstruction", "sectors": ("energy",)},
            {"amount": D("10e6"), "kind": "financial", "sectors": ("private_sector",)},
        ],
    ),
    case(
        "two-named-needs-make-a-mixed-package",
        "Austria funds Ukraine's winter\n\n"
        "Austria will provide €15 million to Ukraine for its energy and humanitarian needs.",
        [{"amount": D("15e6"), "kind": "mixed", "sectors": ("humanitarian", "energy")}],
    ),
    case(
        "kind-word-beats-sector-elsewhere-in-the-clause",
        "Belgium adds military aid\n\n"
        "Belgium has allocated €200 million in military aid to Ukraine, the minister said after visiting a "
        "hospital in Kyiv.",
        [{"amount": D("200e6"), "kind": "military"}],
    ),
    case(
        "a-loan-of-no-stated-purpose-is-financial",
        "Canada lends to Ukraine\n\n"
        "Canada will lend Ukraine CAD 500 million in a new loan, the finance minister said.",
        [{"amount": D("500e6"), "instrument": "loan", "kind": "financial"}],
    ),
    case(
        "generators-in-kind-are-humanitarian",
        "Finland sends generators\n\n"
        "Finland will deliver 20 generators to Ukrainian hospitals before the winter.",
        [{"quantity": D(20), "instrument": "in_kind", "kind": "humanitarian"}],
    ),
    case(
        "a-loan-beside-another-donors-drones-is-financial",
        "Japan and Canada add support\n\n"
        "Japan will extend a loan of ¥470 billion to Ukraine, while Canada is sending CAD 50 million in drones.",
        [
            {"donor": "Japan", "amount": D("470e9"), "kind": "financial", "sectors": ()},
            {"donor": "Canada", "amount": D("50e6"), "kind": "military"},
        ],
    ),
    case(
        "running-total-of-aid-is-mixed",
        "Ireland's support so far\n\n"
        "Ireland has provided Ukraine with €400 million in support since 2022.",
        [{"amount": D("400e6"), "scope": "cumulative", "kind": "mixed"}],
    ),
    case(
        "package-takes-the-kinds-of-its-parts",
        "Portugal unveils a package for Ukraine\n\n"
        "Portugal will provide €30 million to Ukraine this year. Of this, €20 million will go to air "
        "defence and €10 million to repairing power lines.",
        [
            {"amount": D("30e6"), "kind": "mixed"},
            {"amount": D("20e6"), "kind": "military"},
            {"amount": D("10e6"), "kind": "reconstruction"},
        ],
    ),    case(
        "items-a-package-includes-are-delivered-in-kind",
        "Canada unveils new military aid for Ukraine\n\n"
        "Canada announced $650 million in new military assistance for Ukraine on Tuesday, including 50 armoured "
        "vehicles and training for Ukrainian pilots.",
        [
            {"donor": "Canada", "amount": D("650e6"), "kind": "military"},
            {"donor": "Canada", "quantity": D(50), "item": "armoured vehicles", "instrument": "in_kind",
             "kind": "military"},
        ],
    ),
]

# Who gives, read from the context: a dateline, an aggressor, a body's organ, the sentence before.
CONTEXT = [
    case(
        "dateline-and-aggressor-do-not-hide-the-donor",
        "EIB signs loan to rebuild Ukrainian schools\n\n"
        "KYIV, 12 March 2025 — The European Investment Bank and Ukraine signed a €400 million loan agreement on "
        "Wednesday to rebuild schools damaged by Russian attacks.\n\n"
        "Separately, South Korea will provide an additional $100 million in humanitarian aid to Ukraine, the "
        "foreign ministry in Seoul said.",
        [
            {"donor": "European Investment Bank", "amount": D("400e6"), "instrument": "loan"},
            {"donor": "South Korea", "amount": D("100e6")},
        ],
    ),
    case(
        "a-bodys-own-board-gives-and-the-next-total-goes-on",
        "IMF completes review of Ukraine programme\n\n"
        "The International Monetary Fund said that its Executive Board had approved a disbursement of about "
        "$2.2 billion to Ukraine. Total disbursements under the programme now amount to $7.6 billion.\n\n"
        "The European Union transferred a further €1.5 billion of macro-financial assistance in July, the "
        "European Commission said.",
        [
            {"donor": "International Monetary Fund", "amount": D("2.2e9"), "kind": "financial"},
            {"donor": "International Monetary Fund", "amount": D("7.6e9"), "scope": "cumulative"},
            {"donor": "European Union", "amount": D("1.5e9"), "kind": "financial"},
        ],
    ),
    case(
        "a-donors-agency-makes-its-state-a-giver-not-the-recipient",
        "Korean firms sign deals at Kyiv forum\n\n"
        "South Korean and Ukrainian companies signed memoranda at a forum in Kyiv, where South Korea's vice "
        "minister spoke. KOICA also agreed to provide $20 million in grants for water supply in Kharkiv. The next "
        "forum will be held in Seoul.",
        [{"donor": "South Korea", "recipient": "Ukraine", "amount": D("20e6"), "channel": "KOICA"}],
    ),
    case(
        "the-state-that-delivers-is-not-the-recipient",
        "French President visits Odesa\n\n"
        "French President Emmanuel Macron arrived in Odesa on Wednesday. Macron met Ukrainian President Volodymyr "
        "Zelensky and announced that France would deliver two additional SAMP/T air defence systems. France and "
        "Ukraine also signed a joint declaration, and French firms will open a site in Ukraine.",
        [{"donor": "France", "recipient": "Ukraine", "quantity": D(2), "instrument": "in_kind"}],
    ),
    case(
        "the-recipients-own-budget-is-no-aid",
        "Support for Ukraine's demining\n\n"
        "Canada will provide CAD 15 million for demining in Ukraine. Ukraine's government allocated 3.5 billion "
        "hryvnias for demining.",
        [{"donor": "Canada", "amount": D("15e6")}],
    ),
    case(
        "aid-named-for-the-recipient-is-still-aid",
        "US aid bill signed\n\n"
        "The United States Congress passed a foreign aid bill on Tuesday. The Ukraine portion totals $60.8 billion.",
        [{"donor": "United States", "amount": D("60.8e9")}],
    ),
    case(
        "uncounted-items-a-priced-package-includes-describe-it",
        "Pentagon package for Ukraine\n\n"
        "The Pentagon announced a $1 billion package of weapons for Ukraine, including artillery rounds, "
        "Stinger missiles and ammunition for HIMARS launchers.",
        [{"donor": "United States", "amount": D("1e9")}],
    ),
    case(
        "a-figure-hung-on-the-reporting-verb-belongs-to-the-reported-clause",
        "Norway pays for Ukrainian drones\n\n"
        "Norway will finance the production of 400 long-range drones in Ukraine, the Norwegian Defence Ministry "
        "said Thursday, in a contract worth 1.2 billion kroner ($110 million). The money comes from a fund that "
        "the European Union handed over to Norway. The drones will be handed to Ukrainian units by the summer. "
        "Norway has given Ukraine 25 billion kroner in military aid since 2022.",
        [
            {"donor": "Norway", "recipient": "Ukraine", "amount": D("1.2e9"), "currency": "NOK"},
            {"donor": "Norway", "recipient": "Ukraine", "amount": D("25e9"), "scope": "cumulative"},
        ],
    ),
    case(
        "a-state-in-a-relative-clause-on-the-channel-is-not-the-giver",
        "Dutch government presents new package for Ukraine\n\n"
        "The Dutch government presented a new military package for Ukraine on Monday. The package is worth "
        "€1.2 billion and includes drones, radar systems and ammunition. The package also contains €300 million "
        "for air defence, and €150 million will go through the Partnership Fund for Resilient Ukraine, which "
        "the United Kingdom manages.",
        [
            {"donor": "Netherlands", "amount": D("1.2e9"), "part_of": None},
            {"donor": "Netherlands", "amount": D("300e6"), "part_of": 0},
            {"donor": "Netherlands", "amount": D("150e6"), "part_of": 0,
             "channel": "Partnership Fund for Resilient Ukraine"},
        ],
    ),
    case(
        "a-package-valued-at-a-sum-is-aid",
        "Lithuania completes new aid package for Ukraine\n\n"
        "Lithuania has completed its latest military aid package for Ukraine, the defence ministry said. The "
        "package, valued at about €25 million, includes anti-drone equipment and generators.",
        [{"donor": "Lithuania", "amount": D("25e6")}],
    ),
    case(
        "the-figures-own-verb-names-its-instrument-before-its-clause",
        "CEB lends €60 million to Ukrainian hospitals, backed by German guarantee\n\n"
        "The Council of Europe Development Bank is providing a €60 million loan to Ukraine to repair hospitals. "
        "The loan is backed by a €30 million guarantee from Germany.",
        [
            {"amount": D("60e6"), "instrument": "loan", "alt_evidence_has": "lends"},
            {"donor": "Germany", "amount": D("30e6"), "instrument": "guarantee"},
        ],
    ),
    case(
        "an-ambassador-to-the-donor-and-an-aggressor-in-the-purpose-do-not-receive",
        "KOICA signs grant for Ukrainian schools\n\n"
        "The Korea International Cooperation Agency (KOICA) on Thursday signed a grant agreement with the "
        "Government of Ukraine to provide up to 9 billion won for the repair of schools damaged by Russian "
        "drone strikes. Ukrainian Ambassador to Korea Dmytro Ponomarenko attended the signing.",
        [{"donor": "South Korea", "recipient": "Ukraine", "amount": D("9e9"), "currency": "KRW"}],
    ),
    case(
        "a-body-in-a-clause-on-the-purpose-is-the-channel-not-the-recipient",
        "Ireland funds winter aid for Ukraine\n\n"
        "Ireland will provide €10 million for winter aid to Ukraine. The package includes €4 million for "
        "blankets and €6 million for medical supplies delivered through the International Committee of the "
        "Red Cross.",
        [
            {"amount": D("10e6")},
            {"amount": D("4e6"), "recipient": "Ukraine", "part_of": 0},
            {"amount": D("6e6"), "recipient": "Ukraine", "part_of": 0,
             "channel": "International Committee of the Red Cross"},
        ],
    ),
    case(
        "the-first-n-of-m-items-and-a-programme-worth-a-sum",
        "Japan hands over first ambulances\n\n"
        "Ukraine on Monday received the first 30 of 100 ambulances from Japan, supplied under a JICA programme "
        "worth $25 million.",
        [
            {"donor": "Japan", "quantity": D(30), "item": "ambulances", "amount": None},
            {"donor": "Japan", "amount": D("25e6")},
        ],
    ),
    case(
        "a-named-package-is-no-giver",
        "Washington announces new arms for Ukraine\n\n"
        "The United States announced new military aid for Ukraine on Friday. This Foreign Military Financing "
        "Reserve package, valued at up to $400 million, will help Ukraine's forces defend their cities.",
        [{"donor": "United States", "amount": D("400e6")}],
    ),
    case(
        "a-relative-pronoun-stands-for-the-giver-before-it",
        "Bank's fund for Ukrainian schools grows\n\n"
        "The Nordic Investment Bank said its school fund for Ukraine keeps growing. The newest contributions "
        "came from Estonia, which paid in EUR 3 million in May, and Denmark, which has pledged EUR 8 million "
        "over 2025 and 2026.",
        [
            {"donor": "Estonia", "amount": D("3e6")},
            {"donor": "Denmark", "amount": D("8e6")},
        ],
    ),
    case(
        "a-reporter-the-parser-misreads-and-its-own-dollar-in-a-round-up",
        "Energy aid round-up\n\n"
        "Taiwan has pledged $40 million for Ukraine's grid, Taiwan's foreign ministry said. Taiwan also sent "
        "transformers to Kyiv.\n\n"
        "USAID said it had disbursed $12 million to the Odesa water utility to replace pumps destroyed in the "
        "attacks. The agency's energy assistance to Ukraine since 2022 has reached $900 million, it added.",
        [
            {"donor": "Taiwan", "amount": D("40e6"), "currency": "TWD"},
            {"donor": "Taiwan", "item": "transformers"},
            {"donor": "United States", "amount": D("12e6"), "currency": "USD"},
            {"donor": "United States", "amount": D("900e6"), "currency": "USD", "scope": "cumulative"},
        ],
    ),
    case(
        "items-donated-by-a-giver-that-have-reached-a-place",
        "Aid convoy arrives\n\n"
        "A convoy of 12 ambulances donated by Luxembourg has reached Mykolaiv in southern Ukraine, the city "
        "council said.",
        [{"donor": "Luxembourg", "quantity": D(12), "item": "ambulances", "scope": "new"}],
    ),
    case(
        "signing-together-makes-no-giver-and-a-fund-name-no-agent",
        "EU and Ukraine sign deals at Berlin conference\n\n"
        "BERLIN, June 11 (Reuters) - The European Union and Ukraine signed agreements worth €1.4 billion on "
        "Wednesday at a recovery conference hosted by Germany's Chancellor. The deals include €900 million "
        "in loan guarantees, and the bank added a €10 million grant financed by its Ukraine Fund.",
        [
            {"donor": "European Union", "recipient": "Ukraine", "amount": D("1.4e9")},
            {"recipient": "Ukraine", "amount": D("900e6")},
            {"recipient": "Ukraine", "amount": D("10e6")},
        ],
    ),
    case(
        "a-further-count-is-not-part-of-the-item",
        "Slovakia delivers more demining kits\n\n"
        "Slovakia has delivered a further 300 demining kits to Ukraine's emergency service.",
        [{"donor": "Slovakia", "quantity": D(300), "item": "demining kits"}],
    ),
    case(
        "a-noun-states-the-status-no-verb-does",
        "EU pays out new tranche to Ukraine\n\n"
        "The European Union paid a new tranche of €3.5 billion to Ukraine on Friday. Earlier payouts "
        "include €4 billion in bridge financing.",
        [
            {"amount": D("3.5e9"), "status": "provided"},
            {"amount": D("4e9"), "status": "provided"},
        ],
    ),
    case(
        "sectors-pass-between-a-package-and-its-parts",
        "Belgium announces aid for Ukraine\n\n"
        "Belgium will provide €60 million to Ukraine. Of this, €40 million is for the repair of power plants "
        "and €20 million for demining. Separately, Belgium will give €30 million in budget support to Ukraine, "
        "including €10 million in 2025.",
        [
            {"amount": D("60e6"), "sectors": ("demining", "energy")},
            {"amount": D("40e6"), "part_of": 0},
            {"amount": D("20e6"), "part_of": 0, "sectors": ("demining",)},
            {"amount": D("30e6"), "sectors": ("budget_support",)},
            {"amount": D("10e6"), "sectors": ("budget_support",), "part_of": 3},
        ],
    ),
    case(
        "munitions-for-a-system-are-one-item",
        "US package for Ukraine\n\n"
        "The United States announced a package of military aid for Ukraine. The package includes:\n"
        "• Additional munitions for National Advanced Surface-to-Air Missile Systems;\n"
        "• 20 Bradley Infantry Fighting Vehicles.",
        [
            {"donor": "United States", "item": "Additional munitions", "kind": "military"},
            {"donor": "United States", "quantity": D(20), "item": "Bradley Infantry Fighting Vehicles"},
        ],
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), DONORS + SCOPES + FIGURES + KINDS + CATEGORIES + CONTEXT)
def test_commitments(name: str, text: str, expected: list[Fields]) -> None:
    assert_commitments(text, expected, name)


# ---------------------------------------------------------------------------------------------
# Articles that state figures, counts or plans that are not aid commitments: each must yield none.
NOTHING = [
    (
        "a-denied-report-commits-nothing",
        "Gulf states and Ukraine's grid\n\n"
        "Kuwait's foreign ministry denied a report that it was preparing a further 80 million dollars for "
        "Ukraine's energy sector.",
    ),
    (
        "a-hypothesis-commits-nothing",
        "How Ireland's aid compares\n\n"
        "If Ireland matched Lithuania's effort relative to the size of its economy, it would be giving more "
        "than EUR 900 million a year to Ukraine, researchers said.",
    ),
    (
        "a-share-of-national-income-is-a-states-own-spending",
        "Belgium's defence plans\n\n"
        "Belgium will spend 2 percent of its gross national income on defence next year, roughly 12 billion euros, "
        "the minister told Ukraine's envoy.",
    ),
    (
        "a-sum-per-person-is-a-ratio",
        "Austria's aid to Ukraine in numbers\n\n"
        "Per person, Austria's support for Ukraine works out at about EUR 95 for each Austrian.",
    ),
    (
        "a-lenders-year-in-developing-countries",
        "EBRD results\n\n"
        "In 2025 the EBRD committed a record EUR 16 billion to companies in developing countries, Ukraine included.",
    ),
    (
        "the-aggressors-war-spending",
        "Aid to Ukraine debated\n\n"
        "Russia spends more than $12bn a month on the war, and Ukraine's allies argue about millions.",
    ),
    (
        "a-councils-budget-and-overspend",
        "Council aids Ukraine\n\n"
        "The council, which twinned with Lviv in Ukraine, noted a projected overspend of £3.2 million against a "
        "net revenue budget of £900 million.",
    ),
    (
        "the-recipients-own-region-is-no-donor",
        "Kharkiv builds shelters\n\n"
        "The Kharkiv Region of Ukraine has allocated UAH 20 million from its own budget for school shelters.",
    ),
    (
        "an-appeal-asks-it-does-not-give",
        "UNICEF scales up in Ukraine\n\n"
        "UNICEF's 2025 humanitarian appeal for Ukraine seeks US$ 350 million, of which a third has been funded.",
    ),
    (
        "instructors-sent-are-no-delivery",
        "Canada extends its training mission\n\n"
        "Canada has sent 40 instructors to train Ukrainian sappers in Latvia, the defence ministry said.",
    ),
    (
        "a-lenders-year-across-many-countries",
        "KfW supports Ukraine\n\n"
        "Germany's development bank KfW is active in Ukraine. Last year, the bank committed EUR 9.2 billion in "
        "more than 80 countries.",
    ),
    (
        "a-company-investing-in-its-own-plant",
        "Swiss maker to build drones in Ukraine\n\n"
        "Swiss firm Aerolift will open a site in Ukraine. Aerolift will invest CHF 12 million in the plant, "
        "which is to employ 300 people.",
    ),
    (
        "a-company-valued-at-a-sum",
        "Ukrainian drone maker raises funds\n\n"
        "The Ukrainian drone maker, valued at about $300 million, said investors from Poland had joined the round.",
    ),
    (
        "budget-law-sets-expenditures-at",
        "Ukraine passes its budget\n\n"
        "Ukraine's 2026 budget law sets expenditures at UAH 4.1 trillion, and the ministry puts next year's "
        "external financing gap at USD 45 billion.",
    ),
    (
        "needs-estimate-to-rebuild",
        "World Bank updates Ukraine needs assessment\n\n"
        "The World Bank said on Tuesday that $486 billion is needed to rebuild Ukraine over the next decade.",
    ),
    (
        "damage-estimate",
        "Damage to Ukraine's energy grid grows\n\n"
        "Damage to Ukraine's energy infrastructure is estimated at $10.6 billion, the World Bank said.",
    ),
    (
        "donor-own-defence-budget",
        "Germany raises defence spending amid war in Ukraine\n\n"
        "Germany's defence budget will rise to €52 billion next year, the finance minister said.",
    ),
    (
        "donor-own-armed-forces",
        "Poland arms itself as war in Ukraine drags on\n\n"
        "Poland will spend PLN 186 billion on its own armed forces next year, the defence minister said.",
    ),
    (
        "a-state-spending-on-its-own-military",
        "War budgets grow\n\n"
        "Russia spent $120 billion on its military in 2024, while Ukraine asked partners for more air defence.",
    ),
    (
        "company-revenue",
        "Arms maker profits from Ukraine war\n\n"
        "Rheinmetall, which supplies ammunition to Ukraine, said its revenue rose to €7.2 billion last year.",
    ),
    (
        "company-market-value",
        "Arms maker's value soars as Ukraine war drags on\n\n"
        "The German arms maker now has a market value of €40 billion, analysts said.",
    ),
    (
        "gdp-share",
        "Estonia among top supporters of Ukraine\n\n"
        "Estonia's support for Ukraine is equal to about 1.4 percent of its GDP, the ministry said.",
    ),
    (
        "trade-volume",
        "Turkey and Ukraine expand trade\n\n"
        "Trade between Turkey and Ukraine reached $7.4 billion in 2021, the ambassador said.",
    ),
    (
        "loan-to-moldova",
        "World Bank help for Ukraine and its neighbours\n\n"
        "The World Bank is the main channel of budget support for Ukraine. It also approved a US$135 million "
        "loan for Moldova to strengthen its energy security.",
    ),
    (
        "missiles-sent-to-a-third-state",
        "Germany's support for Ukraine remains firm\n\n"
        "Germany's support for Ukraine remains firm, the chancellor said. Berlin will also send Patriot "
        "missiles to the United States under a swap arrangement.",
    ),
    (
        "people-helped-is-a-head-count",
        "UN appeal for Ukraine this winter\n\nThe UN programme aims to help 5 million people in Ukraine this winter.",
    ),
    (
        "count-of-cooperation-deals",
        "Japanese firms eye Ukraine reconstruction\n\n"
        "Japanese and Ukrainian firms signed 56 cooperation deals at the conference on Monday.",
    ),
    (
        "count-of-conditions",
        "EU sets conditions for Ukraine funds\n\n"
        "Ukraine must meet 15 conditions before the next EU payment can be made.",
    ),
    (
        "count-of-cities",
        "Aid to reach cities across Ukraine\n\nThe aid for Ukraine will reach 12 cities in the east of the country.",
    ),
    (
        "percentage",
        "Support for Ukraine aid rises in polls\n\nSupport for aid to Ukraine rose 20 percent among voters in 2024.",
    ),
    (
        "years-only",
        "Demining programme for Ukraine extended\n\n"
        "The demining programme for Ukraine, launched in 2022, will run until 2027.",
    ),
    (
        "ordinal-package-number",
        "Germany announces 15th aid package for Ukraine\n\n"
        "Germany announced its 15th aid package for Ukraine on Monday.",
    ),
    (
        "could-is-speculative",
        "US could boost aid to Ukraine\n\n"
        "The United States could provide up to $10 billion more to Ukraine if Congress agrees.",
    ),
    (
        "unit-price",
        "Ukraine asks allies for more air defence\n\n"
        "A single Patriot interceptor costs about $4 million, the Ukrainian air force said.",
    ),
    (
        "recipient-own-budget",
        "Ukraine funds school repairs\n\n"
        "Ukraine will allocate UAH 5 billion from its own budget to repair schools, the prime minister said.",
    ),
    (
        "refugee-hosting-costs",
        "Ireland counts cost of hosting Ukrainians\n\n"
        "Ireland will spend €1.2 billion this year on hosting refugees from Ukraine.",
    ),
    (
        "refugee-housing-and-schooling-at-home",
        "Polish spending on Ukrainian refugees\n\n"
        "Poland has spent PLN 25 billion on housing and schooling refugees from Ukraine since 2022.",
    ),
]


@pytest.mark.parametrize(("name", "text"), NOTHING, ids=[n for n, _ in NOTHING])
def test_nothing(name: str, text: str) -> None:
    _, extraction = run(text, name)
    assert extraction.commitments == (), show(extraction.commitments)


def test_nothing_from_most_popular_block() -> None:
    """Unrelated headlines under "Most popular" are furniture, whatever figures they state."""
    text = (
        "Ukraine's foreign minister meets EU counterparts\n\n"
        "Ukraine's foreign minister met EU counterparts in Brussels on Monday to discuss the war.\n\n"
        "Most popular\n"
        "Canada sends $50 million in military aid to Ukraine\n"
        "Japan pledges $4.5 billion for Ukraine's recovery\n"
        "Floods hit western regions after heavy rain\n"
    )
    article, extraction = run(text, "most-popular")
    assert any(f.reason == "related-headlines" for f in article.furniture)
    assert extraction.commitments == (), show(extraction.commitments)


def test_nothing_from_a_releases_associated_links() -> None:
    """A government release's "Associated links" list other releases; their figures are not this one's."""
    text = (
        "Ireland supports Ukraine's hospitals\n\n"
        "Ireland will give €8 million to repair hospitals in Ukraine, the Department of Foreign Affairs said.\n\n"
        "Associated links\n"
        "- Ireland's support for Ukraine\n"
        "- Ireland announces €20 million for demining in Ukraine\n"
    )
    article, extraction = run(text, "associated-links")
    assert any(f.reason == "related-headlines" for f in article.furniture)
    found = [(c.donor, c.amount) for c in extraction.commitments]
    assert found == [("Ireland", D("8e6"))], show(extraction.commitments)


def test_a_flattened_contributions_table_gives_one_commitment_per_money_cell() -> None:
    """A report's table, flattened to bars, tallies each partner's pledge and payment."""
    text = (
        "Annual report of the Ukraine Schools Trust Fund\n\n"
        "The Ukraine Schools Trust Fund repairs schools across Ukraine.\n"
        "Table 3. Contributions to the Ukraine Schools Trust Fund, as of 31 December 2025 (EUR million)\n"
        "Partner | Pledged | Paid-in\n"
        "Ireland | 12.0 | 8.5\n"
        "Estonia | 4.0 | 4.0\n"
        "Hollis Family Foundation | 1.5 | 0.5\n"
        "Other donors | 2.0 | 1.0\n"
        "Total | 19.5 | 14.0\n"
    )
    _, extraction = run(text, "contributions-table")
    found = sorted((c.donor, c.amount, c.currency, c.status.value, c.scope.value) for c in extraction.commitments)
    assert found == [
        ("Estonia", D("4e6"), "EUR", "provided", "cumulative"),
        ("Hollis Family Foundation", D("0.5e6"), "EUR", "provided", "cumulative"),
        ("Hollis Family Foundation", D("1.5e6"), "EUR", "pledged", "cumulative"),
        ("Ireland", D("8.5e6"), "EUR", "provided", "cumulative"),
        ("Ireland", D("12e6"), "EUR", "pledged", "cumulative"),
    ], show(extraction.commitments)


def test_a_table_of_counts_or_a_menu_gives_no_money() -> None:
    """Bars alone make no money: a table whose header and caption name no currency, or a menu line."""
    text = (
        "Schools repaired in Ukraine in 2025\n\n"
        "Home | News | Contact\n"
        "Table 1. Schools repaired by region\n"
        "Region | Schools | Pupils\n"
        "Kharkiv | 12 | 4,300\n"
        "Sumy | 7 | 2,100\n"
    )
    _, extraction = run(text, "counts-table")
    assert extraction.commitments == (), show(extraction.commitments)


def test_body_commitment_survives_most_popular_block() -> None:
    """The block's headlines add nothing, but the body's own figure still counts."""
    text = (
        "Finland pledges aid for Ukraine's grid\n\n"
        "Finland will give €50 million to help repair Ukraine's power grid, the ministry said.\n\n"
        "Most popular\n"
        "Canada sends $50 million in military aid to Ukraine\n"
        "Japan pledges $4.5 billion for Ukraine's recovery\n"
    )
    assert_commitments(text, [{"donor": "Finland", "amount": D("50e6"), "currency": "EUR"}], "most-popular-body")


def test_most_popular_block_after_a_one_sentence_body() -> None:
    """A short body must not turn the related headlines under it into body text."""
    text = (
        "Japan pledges new support for Ukraine\n\n"
        "Japan will provide $12.1 billion to Ukraine.\n\n"
        "Most popular\n"
        "Canada sends $913 million in military aid to Ukraine\n"
        "Japan pledges €827 million for Ukraine's recovery\n"
    )
    assert_commitments(text, [{"donor": "Japan", "amount": D("12.1e9")}], "most-popular-short-body")


@pytest.mark.parametrize(
    "text",
    [
        "Allies pledge air defence money for Ukraine\n\n"
        "Ukraine's allies have pledged $5 billion for air defence, NATO said on Thursday.",
        "Ukraine budget support arrives\n\n"
        "Ukraine received €4.2 billion from the European Union on Tuesday, the finance ministry said.",
        "Ukraine receives new tranche\n\n"
        "Ukraine has received $1.5 billion from its international partners, the prime minister said.",
    ],
    ids=["recipients-allies", "received-from-the-eu", "received-from-unnamed-partners"],
)
def test_recipient_is_never_its_own_donor(text: str) -> None:
    _, extraction = run(text)
    for c in extraction.commitments:
        assert "Ukraine" not in c.donor, show(extraction.commitments)

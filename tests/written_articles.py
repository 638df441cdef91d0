"""Four short articles written for the API and export tests, with a manifest giving their metadata.

Two outlets report one Japanese grant (so it is one cluster with two mentions); a European
Union loan comes with a running total, a memorandum and a conference; and a blog post carries
markup that must come back as text (a script element and an event-handler attribute) and a
running total for the EU that disagrees with the one the EU article gives.
"""

from __future__ import annotations

from pathlib import Path

ARTICLES = {
    "jp_wire_grant": (
        "Japan pledges 15 billion yen grant for Ukraine's power grid\n\n"
        "TOKYO, Feb 19 (Asia Wire) -- Japan will provide a grant of 15 billion yen ($100 million) to Ukraine "
        "to repair power plants and substations damaged by Russian strikes, the foreign ministry said on Monday.\n\n"
        "The grant will be delivered through the Japan International Cooperation Agency (JICA).\n\n"
        "Prime Minister Fumio Kishida announced the aid at the Japan-Ukraine Conference for Promotion of "
        "Economic Growth and Reconstruction in Tokyo.\n"
    ),
    "jp_daily_grant": (
        "Tokyo to give Kyiv 15 billion yen for energy repairs\n\n"
        "Japan will give Ukraine 15 billion yen in grant aid to restore its electricity network, "
        "the government said on Monday.\n\n"
        "The money will be channelled through JICA, officials said.\n"
    ),
    "eu_council_loan": (
        "EU approves 5 billion euro loan to Ukraine\n\n"
        "BRUSSELS, June 12 -- The European Union approved a loan of 5 billion euros to Ukraine on Wednesday "
        "to support the country's budget, bringing total EU support to 85 billion euros since the start of the war.\n\n"
        "The European Commission and Ukraine signed a memorandum of understanding on the loan in Brussels.\n"
    ),
    "xss_blog": (
        "Canada sends aid <script>alert('title')</script>\n\n"
        "Canada will provide $20 million in humanitarian aid to Ukraine, the government said on Tuesday. "
        '<script>alert(document.cookie)</script> <img src=x onerror="alert(1)"> '
        "The aid will pay for food and shelter.\n\n"
        "Total EU support to Ukraine has reached 60 billion euros since the start of the war, the blog noted.\n"
    ),
}

MANIFEST = [
    ("jp_wire_grant", "https://asiawire.example.com/2024/02/19/japan-grant", "Asia Wire", "2024-02-19"),
    ("jp_daily_grant", "https://tokyodaily.example.com/energy-grant", "Tokyo Daily", "2024-02-20"),
    ("eu_council_loan", "https://brusselstimes.example.com/eu-loan", "Brussels Times", "2024-06-12"),
    ("xss_blog", "", "Maple Blog", "2024-03-05"),
]


def write_corpus(folder: Path) -> Path:
    """Write the articles and their SOURCES.tsv into `folder`; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    lines = ["doc\turl\tpublisher\tpublished_date"] + ["\t".join(row) for row in MANIFEST]
    (folder / "SOURCES.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder

"""A small workbook in the import format, showing every shape of target.

Offered for download on the admin import page, and used by the tests. It is illustrative,
modelled on Leicester's Local Area Agreement 2008-11 with titles shortened; the reference content,
transcribed exactly from the documents, is in fixtures/.
"""

PARTNERS = [
    ["name", "short_name", "kind", "aliases"],
    ["Leicester City Council", "LCC", "council", ""],
    ["NHS Leicester City", "", "nhs", "Leicester City PCT"],
    ["Leicester Partnership", "", "partnership", ""],
]
PLANS = [
    ["slug", "name", "kind", "area", "years", "starts_on", "ends_on", "lead_partner"],
    [
        "laa",
        "Local Area Agreement",
        "laa",
        "Leicester",
        "2008-11",
        "2008-04-01",
        "2011-03-31",
        "Leicester Partnership",
    ],
]
THEMES = [
    ["plan", "code", "title", "kind", "parent", "order"],
    ["laa", "", "Investing in our children", "priority", "", "1"],
    [
        "laa",
        "",
        "Statutory Education and Early Years Targets",
        "group",
        "Investing in our children",
        "2",
    ],
]
BREAKDOWNS = [["dimension", "name", "aliases"], ["sex", "Male", "M"], ["sex", "Female", "F"]]
INDICATORS = [
    ["code", "title", "unit", "polarity", "national", "breakdowns"],
    ["NI 59", "Initial assessments within 7 working days", "percent", "higher", "yes", ""],
    ["NI 65", "Child protection plans for a second time", "percent", "range", "yes", ""],
    ["NI 120", "All-age all cause mortality rate", "rate", "lower", "yes", "sex:Male; sex:Female"],
    ["NI 74", "Level 5 in English and Maths at KS3", "percent", "higher", "yes", ""],
    ["LAA 1", "Affordable homes", "number", "higher", "", ""],
]
COMMITMENTS = [
    ["plan", "theme", "indicator", "designated", "statutory", "lead_partners", "partners"],
    ["laa", "Investing in our children", "NI 59", "yes", "", "Leicester City Council", ""],
    ["laa", "Investing in our children", "NI 65", "yes", "", "Leicester City Council", ""],
    [
        "laa",
        "Investing in our children",
        "NI 120",
        "yes",
        "",
        "NHS Leicester City",
        "Leicester City Council",
    ],
    [
        "laa",
        "Statutory Education and Early Years Targets",
        "NI 74",
        "",
        "yes",
        "Leicester City Council",
        "",
    ],
    ["laa", "Investing in our children", "LAA 1", "", "", "Leicester City Council", ""],
]
FIGURES = [
    ["plan", "indicator", "kind", "period", "breakdown", "text"],
    ["laa", "NI 59", "baseline", "(2007/8)", "", "62%"],
    ["laa", "NI 59", "target", "08/09", "", "63%*"],
    ["laa", "NI 59", "target", "2009/10", "", "70%*"],
    ["laa", "NI 65", "target", "2009/10", "", "Between 10% and 15%* (optimum range)"],
    ["laa", "NI 120", "baseline", "2006", "", "Male: 1018 Female: 665"],
    ["laa", "NI 120", "target", "2008/09", "Male", "M:801*"],
    ["laa", "NI 120", "target", "2008/09", "Female", "F:552*"],
    ["laa", "NI 74", "target", "2008/09", "", "69% (summer 09)"],
    ["laa", "NI 74", "target", "2009/10", "", "Dropped from National Indicator Set"],
    ["laa", "NI 74", "target", "2010/11", "", "Dropped from National Indicator Set"],
    ["laa", "LAA 1", "target", "2008/09", "", "140 (actual for year = 156)"],
]
EXAMPLE_WORKBOOK = {
    "partners": PARTNERS,
    "plans": PLANS,
    "themes": THEMES,
    "breakdowns": BREAKDOWNS,
    "indicators": INDICATORS,
    "commitments": COMMITMENTS,
    "figures": FIGURES,
}

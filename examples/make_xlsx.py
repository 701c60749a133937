"""Write the example XLSX workbooks under examples/xlsx/ (deterministic: same bytes on every run).

    python examples/make_xlsx.py

Each workbook has one sheet: a header row of field display names, then one fragment per row, as
an Outcome Harvesting database export would. The quirks are deliberate: a misspelt ``coutnry``
column, ``Year `` with a trailing space, an empty cell where a field was not filled in, a value
that looks like a phone number (``+254 ...``), Python ``None`` for missing cells.

openpyxl stamps the current time into docProps/core.xml and into every zip entry; both are pinned
here so that the committed .xlsx files only change when the data below changes.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
OUT = HERE / "xlsx"
FIXED = _dt.datetime(2025, 11, 30, 12, 0, 0)
ZIP_TIME = (2025, 11, 30, 12, 0, 0)


def merged(row: dict) -> str:
    """The derived StoryFragment_Merged field, as the harvest database builds it."""
    parts = [
        ("Outcome description", "Outcome description"),
        ("Significance", "Significance of the outcome"),
        ("Contribution", "Contribution of the programme"),
        ("Additional Info", "Additional information (use if needed) "),
        ("Contribution of Other factors", "Contribution of other actors and factors"),
    ]
    out = []
    for label, key in parts:
        value = (row.get(key) or "").replace("\n", " ")
        out.append(f"{label}:  {value}")
    return " ".join(out)


WEP_HEADER = [
    "FragmentID", "Outcome status", "OH-harvesting period", "coutnry", "Year ",
    "Outcome description", "Significance of the outcome", "Additional information (use if needed) ",
    "Rating significance", "Social actor", "Scale", "Contribution of the programme",
    "Contribution of other actors and factors", "Rating contribution", "The change was unintended",
    "Evidence supporting the outcome statement", "Outcome statements is CONFIDENTIAL",
    "Link to Outcomes in Results Framework ", "Link to WEP Specific Objectives", "StoryFragment_Merged",
    "Outcome is negative", "MCQType of change", "TypeOfChangeCluster",
]

WEP_ROWS = [
    {
        "FragmentID": "WEP-MOZ2511/CLI007", "Outcome status": "Outcome", "OH-harvesting period": "harvest 4",
        "coutnry": "Mozambique", "Year ": 2025,
        "Outcome description": "In August 2025, the Angoche Women Fishers Association began replanting mangroves on 15 hectares of degraded coastline and agreed with the local fisheries council on a seasonal closure of two crab-harvesting sites.",
        "Significance of the outcome": "Mangrove loss has reduced the catch on which women in Angoche depend for income and food. It is the first time women fishers have taken part in decisions on the use of the coastline in Nampula province.",
        "Additional information (use if needed) ": "The association now has 85 members in four villages.",
        "Rating significance": "medium", "Social actor": "Rights holders", "Scale": "Community",
        "Contribution of the programme": "The WEP programme trained the association's leaders in mangrove restoration and in negotiation with the fisheries council.",
        "Contribution of other actors and factors": "Justiça Ambiental (JA!) supplied seedlings and technical advice. Fórum Mulher supported the association to register as a legal entity.",
        "Rating contribution": "moderate", "The change was unintended": "NO",
        "Evidence supporting the outcome statement": "Photos of planting sites; minutes of the fisheries council.",
        "Outcome statements is CONFIDENTIAL": "NO", "Link to Outcomes in Results Framework ": "Outcome 1.3",
        "Link to WEP Specific Objectives": "CLI: Climate justice", "Outcome is negative": "NO",
        "MCQType of change": "Practice change, Capacity change", "TypeOfChangeCluster": "Practice and behaviour, Capacity change",
    },
    {
        "FragmentID": "WEP-ZWE2505/CLI003", "Outcome status": "Outcome", "OH-harvesting period": "harvest 2",
        "coutnry": "Zimbabwe", "Year ": 2025,
        "Outcome description": "In April 2025, the Environmental Management Agency (EMA) ordered a lithium mining company in Goromonzi to stop discharging waste water into the local river and to fence off its tailings dam.",
        "Significance of the outcome": "Women in the villages downstream had reported skin rashes and dying livestock since 2023. EMA had ignored earlier complaints.  The order is the first enforcement action against a lithium mine in Mashonaland East.",
        "Additional information (use if needed) ": "EMA inspectors visited the site together with community monitors.",
        "Rating significance": "Large", "Social actor": "Duty bearers", "Scale": "Sub-national",
        "Contribution of the programme": "The WEP programme supported the Zimbabwe Environmental Law Association (ZELA) to train community monitors and to file a formal complaint with EMA in Harare.",
        "Contribution of other actors and factors": "ZELA drafted the complaint. The Goromonzi Residents Trust collected water samples and testimonies from affected women.",
        "Rating contribution": "large", "The change was unintended": "NO",
        "Evidence supporting the outcome statement": "EMA order of 22 April 2025.",
        "Outcome statements is CONFIDENTIAL": "TRUE", "Link to Outcomes in Results Framework ": "Outcome 1.1",
        "Link to WEP Specific Objectives": "CLI: Climate justice", "Outcome is negative": "NO",
        "MCQType of change": "Practice change  Policy change", "TypeOfChangeCluster": "Practice and behaviour, Policy",
    },
    {
        "FragmentID": "WEP-ZWE2505/LAN004", "Outcome status": "Outcome", "OH-harvesting period": "harvest 2",
        "coutnry": "ZW", "Year ": 2025,
        "Outcome description": "In February 2025, traditional leaders in Mutoko publicly committed to stop evicting widows from their late husbands' land and agreed to register land allocations in the names of both spouses.",
        "Significance of the outcome": "Widows in Mutoko were routinely evicted by their in-laws after the death of their husbands. The commitment was made at a public gathering and has since been repeated by headmen in three wards.",
        "Additional information (use if needed) ": None,
        "Rating significance": "medium", "Social actor": "Traditional leaders", "Scale": "Community",
        "Contribution of the programme": "The WEP program facilitated community dialogues between widows and traditional leaders in Mashonaland East.",
        "Contribution of other actors and factors": "Women and Land in Zimbabwe (WLZ) trained the widows to speak at the dialogues and documented eviction cases.",
        "Rating contribution": "large", "The change was unintended": "NO",
        "Evidence supporting the outcome statement": "Video of the public gathering; WLZ case records.",
        "Outcome statements is CONFIDENTIAL": None, "Link to Outcomes in Results Framework ": "Outcome 2.1",
        "Link to WEP Specific Objectives": "LAN: Women's land and resource rights", "Outcome is negative": "NO",
        "MCQType of change": "Norms change, Behaviour change", "TypeOfChangeCluster": "Norms",
    },
    {
        "FragmentID": "WEP-GTM2410/CLI002", "Outcome status": "Outcome", "OH-harvesting period": "harvest 2",
        "coutnry": "Guatemala", "Year ": "2024",
        "Outcome description": "In September 2024, the Ministry of Environment and Natural Resources (MARN) opened a public consultation on the draft water law and held the first hearing in Cobán, Alta Verapaz, with Q'eqchi' women's organisations.",
        "Significance of the outcome": "Indigenous women had been excluded from three previous drafts of the water law. Holding the first hearing outside Guatemala City signals that MARN takes the views of affected communities into account.",
        "Additional information (use if needed) ": "Over 200 women took part in the hearing.",
        "Rating significance": "medium", "Social actor": "Duty bearers", "Scale": "National",
        "Contribution of the programme": "The WEP programme supported the Alianza Política Sector de Mujeres (APSM) to prepare women's proposals for the law and funded their travel to the hearing.",
        "Contribution of other actors and factors": "APSM coordinated the women's organisations. Prensa Comunitaria reported on the consultation, and Hivos funded the translation of the draft law into Q'eqchi'.",
        "Rating contribution": "partial", "The change was unintended": "NO",
        "Evidence supporting the outcome statement": "MARN press release; attendance list.",
        "Outcome statements is CONFIDENTIAL": "NO", "Link to Outcomes in Results Framework ": "Outcome 2.2",
        "Link to WEP Specific Objectives": "CLI: Climate justice", "Outcome is negative": "NO",
        "MCQType of change": "Agenda setting, Policy change", "TypeOfChangeCluster": "Agenda setting, Policy",
    },
    {
        "FragmentID": "WEP-MOZ2511/CLI008", "Outcome status": "Outcome", "OH-harvesting period": "harvest 4",
        "coutnry": "Mozambique", "Year ": 2025,
        "Outcome description": "In November 2025, the newly formed Ancuabe Community Water Monitoring Committee began testing the water of six rivers in Ancuabe district every month and reporting the results to the district authorities. This builds on outcome WEP-MOZ2511/CLI004.",
        "Significance of the outcome": "Monitoring no longer depends on an NGO, and the district now receives regular data on water quality near the mines.",
        "Additional information (use if needed) ": "Half of the committee members are women.",
        "Rating significance": None, "Social actor": "Rights holders", "Scale": "Community",
        "Contribution of the programme": "The WEP programme provided the water testing kits.",
        "Contribution of other actors and factors": "Justiça Ambiental trained the committee members to use the kits.",
        "Rating contribution": "moderate", "The change was unintended": "YES",
        "Evidence supporting the outcome statement": None,
        "Outcome statements is CONFIDENTIAL": "", "Link to Outcomes in Results Framework ": "Outcome 1.1",
        "Link to WEP Specific Objectives": "CLI: Climate justice", "Outcome is negative": "NO",
        "MCQType of change": "Practice change", "TypeOfChangeCluster": "Practice and behaviour",
    },
    {
        "FragmentID": "WEP-KEN2511/CLI001", "Outcome status": "Outcome", "OH-harvesting period": "harvest 4",
        "coutnry": "Kenya", "Year ": 2025,
        "Outcome description": "In October 2025, the Kilifi County Assembly passed the Kilifi County Climate Change Fund Regulations, which reserve 30% of the county climate fund for projects proposed by women's groups.",
        "Significance of the outcome": "Women farmers in Ganze and Magarini, in the north of Kilifi, are hit hardest by the recurring droughts but had no say in how climate funds were spent.  The regulations give them a dedicated share for the first time.",
        "Additional information (use if needed) ": "The first call for proposals was published in November 2025.",
        "Rating significance": "large", "Social actor": "Duty bearers", "Scale": "Sub-national",
        "Contribution of the programme": "The WEP programme supported the Pwani Climate Justice Alliance to hold ward-level forums where women drafted the proposals for the regulations.",
        "Contribution of other actors and factors": "The Pwani Climate Justice Alliance lobbied members of the County Assembly. Haki Africa provided a legal review of the draft regulations, with support from the Ford Foundation.",
        "Rating contribution": "partial", "The change was unintended": "NO",
        "Evidence supporting the outcome statement": "Kilifi County Gazette; Hansard.",
        "Outcome statements is CONFIDENTIAL": "NO", "Link to Outcomes in Results Framework ": "Outcome 1.2",
        "Link to WEP Specific Objectives": "CLI: Climate justice", "Outcome is negative": "NO",
        "MCQType of change": "Policy change, Legislative change", "TypeOfChangeCluster": "Policy",
    },
]

SCC_HEADER = [
    "FragmentID", "Outcome status", "OH-harvesting period", "Country", "Year",
    "Outcome description", "Significance of the outcome", "Additional information (use if needed) ",
    "Rating significance", "Social actor", "Scale", "Contribution of the programme",
    "Contribution of other actors and factors", "Rating contribution", "The change was unintended",
    "Evidence supporting the outcome statement", "Outcome statements is CONFIDENTIAL",
    "Link to Outcomes in Results Framework ", "Link to SCC Specific Objectives", "StoryFragment_Merged",
    "Outcome is negative", "MCQType of change", "TypeOfChangeCluster",
]

SCC_ROWS = [
    {
        "FragmentID": "SCC-KEN2404/GOV002", "Outcome status": "Outcome", "OH-harvesting period": "harvest 1",
        "Country": "Kenya", "Year": 2024,
        "Outcome description": "In March 2024, HURIA and the Kenya Human Rights Commission (KHRC) formed the Coast Civic Space Platform, which brings together 22 CSOs from Mombasa, Kwale and Lamu to respond jointly to threats against civic space.",
        "Significance of the outcome": "CSOs at the Coast used to respond to threats separately and were easily isolated. The platform issued its first joint statement within a month, after the arrest of two HRDs in Lamu.",
        "Additional information (use if needed) ": "KHRC hosts the platform's secretariat in Mombasa.",
        "Rating significance": "medium", "Social actor": "Civic change agents", "Scale": "Sub-national",
        "Contribution of the programme": "The SCC programme funded the two founding meetings of the platform and the drafting of its charter.",
        "Contribution of other actors and factors": "With support from Amnesty, HURIA ran a mapping of civic space threats at the Coast that was used to convene the members. The Ford Foundation funded KHRC's coordinator position.",
        "Rating contribution": "moderate", "The change was unintended": "NO",
        "Evidence supporting the outcome statement": "+254 722 000 111 (HURIA programme officer, call to verify)",
        "Outcome statements is CONFIDENTIAL": "NO", "Link to Outcomes in Results Framework ": "Outcome 1.2",
        "Link to SCC Specific Objectives": "GOV: Accountable governance", "Outcome is negative": "NO",
        "MCQType of change": "Relationship change, Capacity change", "TypeOfChangeCluster": "Relationships, Capacity change",
    },
    {
        "FragmentID": "SCC-KEN2404/GOV003", "Outcome status": "Outcome", "OH-harvesting period": "harvest 1",
        "Country": "Kenya", "Year": 2024,
        "Outcome description": "In April 2024, the Isiolo County Government adopted guidelines for ward-level public participation, requiring the county to hold budget consultations in all ten wards, including in pastoralist areas of Merti and Garbatulla.",
        "Significance of the outcome": "Pastoralist communities far from Isiolo town had never been consulted on the county budget. The guidelines make consultations in every ward mandatory.",
        "Additional information (use if needed) ": "",
        "Rating significance": "medium", "Social actor": "Duty bearers", "Scale": "Sub-national",
        "Contribution of the programme": "The programme supported HSI to convene community forums in the wards and to present the forums' recommendations to the County Executive.",
        "Contribution of other actors and factors": "HSI convened the forums. The International Budget Partnership Kenya reviewed the draft guidelines.",
        "Rating contribution": None, "The change was unintended": "NO",
        "Evidence supporting the outcome statement": "Isiolo County public participation guidelines, 2024.",
        "Outcome statements is CONFIDENTIAL": "NO", "Link to Outcomes in Results Framework ": "Outcome 2.1",
        "Link to SCC Specific Objectives": None, "Outcome is negative": "NO",
        "MCQType of change": "Policy change, Practice change", "TypeOfChangeCluster": "Policy, Practice and behaviour",
    },
    {
        "FragmentID": "SCC-ETH2404/CIV001", "Outcome status": "Outcome", "OH-harvesting period": "harvest 1",
        "Country": "Ethiopia", "Year": "2024",
        "Outcome description": "In January 2024, the Authority for Civil Society Organizations (ACSO) suspended the registration of three human rights organisations based in Addis Ababa, citing reports that they had failed to remain non-partisan.",
        "Significance of the outcome": "The suspensions came shortly after the organisations published reports on detentions in Amhara. They signal a renewed narrowing of civic space after the reforms of 2019.",
        "Additional information (use if needed) ": "Two of the suspensions were lifted in March 2024 after the organisations appealed.",
        "Rating significance": "large", "Social actor": "Duty bearers", "Scale": "National",
        "Contribution of the programme": "", "Contribution of other actors and factors": "",
        "Rating contribution": "", "The change was unintended": "",
        "Evidence supporting the outcome statement": "ACSO letters of suspension; statement of the Consortium of Ethiopian Human Rights Organizations (CEHRO).",
        "Outcome statements is CONFIDENTIAL": "NO", "Link to Outcomes in Results Framework ": "Outcome 1.1",
        "Link to SCC Specific Objectives": "CIV: Less suppression of civic space", "Outcome is negative": "YES",
        "MCQType of change": "Safety and Security", "TypeOfChangeCluster": "Safety and Security",
    },
]

WORKBOOKS = {
    "wep_harvest_2025.xlsx": ("WEP harvest export", WEP_HEADER, WEP_ROWS),
    "scc_governance_2024.xlsx": ("SCC export", SCC_HEADER, SCC_ROWS),
}


def build(title: str, header: list[str], rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for row in rows:
        row = dict(row)
        row["StoryFragment_Merged"] = merged(row)
        ws.append([row.get(h) for h in header])
    wb.properties.creator = "harvestgraph examples"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    buf = io.BytesIO()
    wb.save(buf)
    return _pin(buf.getvalue())


def _pin(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry times and a fixed core.xml modification time."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\g<2>", text)
                content = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
    return out.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (title, header, rows) in WORKBOOKS.items():
        (OUT / name).write_bytes(build(title, header, rows))
        print(f"wrote {OUT / name} ({len(rows)} fragments)")


if __name__ == "__main__":
    main()

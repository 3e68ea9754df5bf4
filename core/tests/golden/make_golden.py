#!/usr/bin/env python3
"""An independent oracle for the golden files in this folder: it re-implements the reference
script's pipeline (FORMAT.md; feedparser replaced by ElementTree, same whitespace rule
`" ".join(text.split())`, same category filter, same `generate_table` layout) plus our one
documented change (a `|` in a cell is written `\\|`). The Rust tests compare our output with
the files this writes. Run from this folder:

    python3 make_golden.py
"""
import datetime
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
FIX = "../fixtures/"


def norm(text):
    return " ".join((text or "").split())


def papers(path, allowed=("cs", "stat")):
    out = []
    for e in ET.parse(FIX + path).getroot().findall(ATOM + "entry"):
        links = e.findall(ATOM + "link")
        paper = {
            "title": norm(e.findtext(ATOM + "title")),
            "abstract": norm(e.findtext(ATOM + "summary")),
            "comment": norm(e.findtext(ARXIV + "comment")),
            "date": e.findtext(ATOM + "updated").split("T")[0],
            "abs": next(l.get("href") for l in links if l.get("rel") == "alternate"),
            "pdf": next(l.get("href") for l in links if l.get("title") == "pdf"),
            "tags": [c.get("term") for c in e.findall(ATOM + "category")],
        }
        if any(t.split(".")[0] in allowed for t in paper["tags"]):
            out.append(paper)
    return out


def cell(text):
    return text.replace("|", "\\|")


def comment_cell(c):
    if c == "":
        return ""
    if len(c) > 20:
        return "<details><summary>{0}...</summary><p>{1}</p></details>".format(cell(c[:5]), cell(c))
    return cell(c)


def table(ps, style, with_abstract):
    cols = ["Title", "Date"] + (["Abstract"] if with_abstract else []) + ["Comment"]
    text = "| " + " | ".join("**" + c + "**" for c in cols) + " |\n"
    text += "| " + " | ".join(["---"] * len(cols)) + " |"
    for p in ps:
        row = ["**[{0}]({1})**".format(cell(p["title"]), cell(p[style])), cell(p["date"])]
        if with_abstract:
            row.append("<details><summary>Show</summary><p>{0}</p></details>".format(cell(p["abstract"])))
        row.append(comment_cell(p["comment"]))
        text += "\n| " + " | ".join(row) + " |"
    return text


HEADER = ("# Daily Papers\nThe project automatically fetches the latest papers from arXiv based on keywords.\n\n"
          "The subheadings in the README file represent the search keywords.\n\n"
          "Only the most recent articles for each keyword are retained, up to a maximum of 100 papers.\n\n"
          "You can click the 'Watch' button to receive daily email notifications.\n\nLast update: {0}\n\n")


def readme(date, sections, style):
    text = HEADER.format(date.strftime("%Y-%m-%d"))
    for kw, ps in sections:
        text += "## {0}\n".format(kw) + table(ps, style, True) + "\n\n"
    return text


def digest(date, repo, sections, style):
    text = "---\ntitle: Latest 15 Papers - {0}\nlabels: documentation\n---\n".format(date.strftime("%B %d, %Y"))
    text += "**Please check the [Github]({0}) page for a better reading experience and more papers.**\n\n".format(repo)
    for kw, ps in sections:
        text += "## {0}\n".format(kw) + table(ps[:15], style, False) + "\n\n"
    return text


def write(name, text):
    with open(name, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


DATE = datetime.date(2026, 11, 20)
SECTIONS = [
    ("Software Testing", papers("arxiv/search-10-entries.xml")),
    ("Information Theory", papers("arxiv/single-entry.xml")),
    ("Comment Cases", papers("hand/comment-cases.xml")),
]
write("fixtures-README.md", readme(DATE, SECTIONS, "abs"))
write("fixtures-README-pdf.md", readme(DATE, SECTIONS, "pdf"))
write("fixtures-ISSUE_TEMPLATE.md", digest(
    datetime.date(2026, 3, 7), "https://github.com/octocat/daily-papers",
    [("testing", papers("arxiv/search-100-entries.xml")), ("Comment Cases", papers("hand/comment-cases.xml"))],
    "abs"))
write("other-archives-README.md", readme(datetime.date(2016, 10, 9), [
    ("Bethe Lattice", papers("arxiv/legacy-2016-format.xml", ("cond-mat",))),
    ("Hot Jupiters", papers("arxiv/old-style-id.xml", ("astro-ph",))),
], "abs"))

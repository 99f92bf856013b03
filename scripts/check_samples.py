#!/usr/bin/env python3
"""Independent fidelity check of `evcat show --format json` against PubMed XML files.

For every *.xml / *.xml.gz file under the samples directory whose root element is
<PubmedArticleSet>, the file is imported into a fresh temporary catalogue, every
PubmedArticle / PubmedBookArticle in it is parsed independently with ElementTree, and
the fields below are compared with what `evcat show PMID --format json` prints.

Texts are compared after stripping leading/trailing whitespace only (evcat is meant to be
lossless). A mismatch that disappears when internal whitespace runs are collapsed is
reported in a separate category ("WS-ONLY").

Usage:
    python3 scripts/check_samples.py --evcat target/debug/evcat --samples /work/shared/pubmed-samples

Exit status: 0 no mismatches, 1 mismatches found, 2 usage/setup error.
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

MAX_REPORTED_PER_FILE = 10
MISSING = object()  # a JSON path that does not exist


# --------------------------------------------------------------------------- helpers


def text_of(el: ET.Element | None) -> str | None:
    """All text of an element (itertext joined), stripped; None when the element is absent."""
    if el is None:
        return None
    return "".join(el.itertext()).strip()


def attr(el: ET.Element | None, name: str) -> str | None:
    if el is None:
        return None
    return el.get(name)


def norm_text(v):
    """Normalise a text value for comparison: strip; treat '' like None (absent)."""
    if v is None or v is MISSING:
        return None
    if isinstance(v, str):
        v = v.strip()
        return v if v != "" else None
    return v


def collapse_ws(v):
    return re.sub(r"\s+", " ", v) if isinstance(v, str) else v


def jget(obj, *path):
    """Follow a path of keys/indices through parsed JSON; MISSING if any step is absent."""
    cur = obj
    for p in path:
        if isinstance(p, int):
            if not isinstance(cur, list) or p >= len(cur):
                return MISSING
            cur = cur[p]
        else:
            if not isinstance(cur, dict) or p not in cur:
                return MISSING
            cur = cur[p]
    return cur


def iso_date(el: ET.Element | None) -> str | None:
    """Year/Month/Day children -> YYYY-MM-DD (or YYYY-MM / YYYY when parts are missing)."""
    if el is None:
        return None
    y = text_of(el.find("Year"))
    m = text_of(el.find("Month"))
    d = text_of(el.find("Day"))
    if not y:
        return None
    out = f"{int(y):04d}"
    if m:
        if not m.isdigit():
            months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
            try:
                m = str(months.index(m[:3].lower()) + 1)
            except ValueError:
                return out
        out += f"-{int(m):02d}"
        if d:
            out += f"-{int(d):02d}"
    return out


def orcid_digits(v):
    if v is None or v is MISSING:
        return None
    v = str(v).strip().rstrip("/")
    v = v.rsplit("/", 1)[-1]
    return "".join(c for c in v.upper() if c.isdigit() or c == "X") or None


def short(v, n=90):
    s = json.dumps(v, ensure_ascii=False) if v is not MISSING else "<missing>"
    return s if len(s) <= n else s[: n - 3] + "..."


# --------------------------------------------------------------------------- comparison


class Comparer:
    def __init__(self):
        self.fields = 0
        self.mismatches = []  # (pmid, field, expected, got, category)

    def cmp(self, pmid, field, expected, got, kind="text"):
        """Compare one field. kind: text | int | bool | raw."""
        self.fields += 1
        if kind == "text":
            e, g = norm_text(expected), norm_text(got)
            if isinstance(g, (int, float)) and not isinstance(g, bool):
                g = str(g)
            if e == g:
                return True
            if isinstance(e, str) and isinstance(g, str) and collapse_ws(e) == collapse_ws(g):
                self.mismatches.append((pmid, field, expected, got, "WS-ONLY"))
                return False
        elif kind == "int":
            e = None if expected is None else int(expected)
            g = None if got is None or got is MISSING else got
            try:
                g = None if g is None else int(g)
            except (TypeError, ValueError):
                pass
            if e == g:
                return True
        elif kind == "bool":
            if isinstance(got, bool) and bool(expected) == got:
                return True
        else:
            if expected == got:
                return True
        self.mismatches.append((pmid, field, expected, got, "MISMATCH"))
        return False

    def cmp_len(self, pmid, field, expected_list, got):
        n = len(got) if isinstance(got, list) else None
        return self.cmp(pmid, field + ".len", len(expected_list), n, "int")


# --------------------------------------------------------------------------- extraction


def record_pmid_version(rec: ET.Element):
    if rec.tag == "PubmedArticle":
        p = rec.find("MedlineCitation/PMID")
    else:
        p = rec.find("BookDocument/PMID")
    if p is None:
        return None, 1
    v = p.get("Version")
    return text_of(p), int(v) if v and v.strip().isdigit() else 1


def check_author_list(c: Comparer, pmid, prefix, authors, got_list):
    c.cmp_len(pmid, prefix, authors, got_list)
    if not isinstance(got_list, list):
        return
    for i, au in enumerate(authors):
        g = got_list[i] if i < len(got_list) else {}
        f = f"{prefix}[{i}]"
        c.cmp(pmid, f + ".last", text_of(au.find("LastName")), jget(g, "last"))
        c.cmp(pmid, f + ".fore", text_of(au.find("ForeName")), jget(g, "fore"))
        c.cmp(pmid, f + ".initials", text_of(au.find("Initials")), jget(g, "initials"))
        c.cmp(pmid, f + ".suffix", text_of(au.find("Suffix")), jget(g, "suffix"))
        c.cmp(pmid, f + ".collective", text_of(au.find("CollectiveName")), jget(g, "collective"))
        affs = [text_of(a) for a in au.findall("AffiliationInfo/Affiliation")]
        gaffs = jget(g, "affiliations")
        c.cmp_len(pmid, f + ".affiliations", affs, gaffs)
        for k, a in enumerate(affs):
            c.cmp(pmid, f"{f}.affiliations[{k}]", a, jget(gaffs, k))
        orcids = [text_of(x) for x in au.findall("Identifier") if (x.get("Source") or "").upper() == "ORCID"]
        exp = orcid_digits(orcids[0]) if orcids else None
        gv = jget(g, "orcid")
        got = gv.strip().replace("-", "").upper() if isinstance(gv, str) and gv.strip() else None
        c.fields += 1
        if exp != got:
            c.mismatches.append((pmid, f + ".orcid", orcids[0] if orcids else None, gv, "MISMATCH"))


def check_abstract(c: Comparer, pmid, abstract_el, got):
    if abstract_el is None:
        c.fields += 1
        secs = jget(got, "abstract", "sections")
        if got.get("abstract") not in (None, MISSING) and secs not in (MISSING, None, []):
            c.mismatches.append((pmid, "abstract", None, got.get("abstract"), "MISMATCH"))
        return
    texts = abstract_el.findall("AbstractText")
    gsecs = jget(got, "abstract", "sections")
    c.cmp_len(pmid, "abstract.sections", texts, gsecs)
    for i, at in enumerate(texts):
        g = jget(gsecs, i)
        c.cmp(pmid, f"abstract.sections[{i}].label", at.get("Label"), jget(g, "label"))
        c.cmp(pmid, f"abstract.sections[{i}].category", at.get("NlmCategory"), jget(g, "category"))
        c.cmp(pmid, f"abstract.sections[{i}].text", text_of(at), jget(g, "text"))


def check_pub_date(c: Comparer, pmid, prefix, pd, gpd):
    year = text_of(pd.find("Year")) if pd is not None else None
    mld = text_of(pd.find("MedlineDate")) if pd is not None else None
    if not year and mld:
        m = re.search(r"\d{4}", mld)
        year = m.group(0) if m else None
    c.cmp(pmid, prefix + ".year", year, jget(gpd, "year"), "int")
    if pd is None:
        return
    c.cmp(pmid, prefix + ".month", text_of(pd.find("Month")), jget(gpd, "month"))
    c.cmp(pmid, prefix + ".day", text_of(pd.find("Day")), jget(gpd, "day"))
    c.cmp(pmid, prefix + ".season", text_of(pd.find("Season")), jget(gpd, "season"))
    c.cmp(pmid, prefix + ".raw", mld, jget(gpd, "raw"))


def check_record(c: Comparer, rec: ET.Element, got: dict):
    book = rec.tag == "PubmedBookArticle"
    pmid, version = record_pmid_version(rec)
    c.cmp(pmid, "pmid", pmid, jget(got, "pmid"))
    c.cmp(pmid, "version", version, jget(got, "version"), "int")
    c.cmp(pmid, "deleted", False, jget(got, "deleted"), "bool")

    if book:
        doc = rec.find("BookDocument")
        pdata = rec.find("PubmedBookData")
        art = doc
        mc = doc
    else:
        mc = rec.find("MedlineCitation")
        pdata = rec.find("PubmedData")
        art = mc.find("Article")
        c.cmp(pmid, "status", mc.get("Status"), jget(got, "status"))

    if art is not None:
        c.cmp(pmid, "title", text_of(art.find("ArticleTitle")), jget(got, "title"))
        if not book:
            c.cmp(pmid, "vernacular_title", text_of(art.find("VernacularTitle")), jget(got, "vernacular_title"))
        check_abstract(c, pmid, art.find("Abstract"), got)

        if not book:
            j = art.find("Journal")
            gj = jget(got, "journal")
            ji = j.find("JournalIssue") if j is not None else None
            c.cmp(pmid, "journal.title", text_of(j.find("Title")) if j is not None else None, jget(gj, "title"))
            c.cmp(pmid, "journal.iso_abbrev", text_of(j.find("ISOAbbreviation")) if j is not None else None,
                  jget(gj, "iso_abbrev"))
            c.cmp(pmid, "journal.issn", text_of(j.find("ISSN")) if j is not None else None, jget(gj, "issn"))
            c.cmp(pmid, "journal.volume", text_of(ji.find("Volume")) if ji is not None else None, jget(gj, "volume"))
            c.cmp(pmid, "journal.issue", text_of(ji.find("Issue")) if ji is not None else None, jget(gj, "issue"))
            check_pub_date(c, pmid, "journal.pub_date", ji.find("PubDate") if ji is not None else None,
                           jget(gj, "pub_date"))
            authors = art.findall("AuthorList/Author")
        else:
            authors = []
            for al in art.findall("AuthorList"):
                if (al.get("Type") or "authors") == "authors":
                    authors.extend(al.findall("Author"))
        check_author_list(c, pmid, "authors", authors, jget(got, "authors"))

        langs = [text_of(x) for x in art.findall("Language")]
        c.cmp(pmid, "languages", langs, jget(got, "languages"), "raw")
        pts = [text_of(x) for x in art.findall("PublicationTypeList/PublicationType")] if not book else \
            [text_of(x) for x in art.findall("PublicationType")]
        c.cmp(pmid, "publication_types", pts, jget(got, "publication_types"), "raw")
        grants = art.findall("GrantList/Grant")
        c.cmp(pmid, "grants.len", len(grants), len(got["grants"]) if isinstance(got.get("grants"), list) else None,
              "int")

    if book:
        b = rec.find("BookDocument/Book")
        gb = jget(got, "book")
        c.cmp(pmid, "book.title", text_of(b.find("BookTitle")) if b is not None else None, jget(gb, "title"))
        c.cmp(pmid, "book.publisher", text_of(b.find("Publisher/PublisherName")) if b is not None else None,
              jget(gb, "publisher"))
        c.cmp(pmid, "book.pub_date.year", text_of(b.find("PubDate/Year")) if b is not None else None,
              jget(gb, "pub_date", "year"), "int")
        editors = []
        if b is not None:
            for al in b.findall("AuthorList"):
                if al.get("Type") == "editors":
                    editors.extend(al.findall("Author"))
        check_author_list(c, pmid, "book.editors", editors, jget(gb, "editors"))

    # MeSH
    mesh = mc.findall("MeshHeadingList/MeshHeading") if mc is not None else []
    gmesh = jget(got, "mesh")
    c.cmp_len(pmid, "mesh", mesh, gmesh)
    for i, mh in enumerate(mesh):
        d = mh.find("DescriptorName")
        g = jget(gmesh, i)
        c.cmp(pmid, f"mesh[{i}].descriptor", text_of(d), jget(g, "descriptor"))
        c.cmp(pmid, f"mesh[{i}].ui", attr(d, "UI"), jget(g, "ui"))
        c.cmp(pmid, f"mesh[{i}].major", attr(d, "MajorTopicYN") == "Y", jget(g, "major"), "bool")
        quals = mh.findall("QualifierName")
        gq = jget(g, "qualifiers")
        c.cmp_len(pmid, f"mesh[{i}].qualifiers", quals, gq)
        for k, q in enumerate(quals):
            gqk = jget(gq, k)
            c.cmp(pmid, f"mesh[{i}].qualifiers[{k}].name", text_of(q), jget(gqk, "name"))
            c.cmp(pmid, f"mesh[{i}].qualifiers[{k}].ui", q.get("UI"), jget(gqk, "ui"))
            c.cmp(pmid, f"mesh[{i}].qualifiers[{k}].major", q.get("MajorTopicYN") == "Y", jget(gqk, "major"),
                  "bool")

    # keywords (all KeywordLists, in order)
    kws = [text_of(k) for k in mc.findall("KeywordList/Keyword")] if mc is not None else []
    gkw = jget(got, "keywords")
    c.cmp_len(pmid, "keywords", kws, gkw)
    for i, k in enumerate(kws):
        c.cmp(pmid, f"keywords[{i}]", k, jget(gkw, i))

    # chemicals
    chems = [text_of(x) for x in mc.findall("ChemicalList/Chemical/NameOfSubstance")] if mc is not None else []
    gch = jget(got, "chemicals")
    c.cmp_len(pmid, "chemicals", chems, gch)
    for i, n in enumerate(chems):
        c.cmp(pmid, f"chemicals[{i}].name", n, jget(gch, i, "name"))

    # comments / corrections
    ccs = mc.findall("CommentsCorrectionsList/CommentsCorrections") if mc is not None else []
    gcc = jget(got, "comments_corrections")
    c.cmp_len(pmid, "comments_corrections", ccs, gcc)
    for i, cc in enumerate(ccs):
        g = jget(gcc, i)
        c.cmp(pmid, f"comments_corrections[{i}].type", cc.get("RefType"), jget(g, "type"))
        c.cmp(pmid, f"comments_corrections[{i}].ref_source", text_of(cc.find("RefSource")), jget(g, "ref_source"))
        c.cmp(pmid, f"comments_corrections[{i}].pmid", text_of(cc.find("PMID")), jget(g, "pmid"), "int")

    # ids: PubmedData / PubmedBookData ArticleIdList, first of each type
    ids = {}
    if pdata is not None:
        for a in pdata.findall("ArticleIdList/ArticleId"):
            ids.setdefault(a.get("IdType") or "pubmed", text_of(a))
    for t, v in ids.items():
        c.cmp(pmid, f"ids.{t}", v, jget(got, "ids", t))

    # dates
    gd = jget(got, "dates")
    c.cmp(pmid, "dates.completed", iso_date(mc.find("DateCompleted")) if mc is not None else None,
          jget(gd, "completed"))
    c.cmp(pmid, "dates.revised", iso_date(mc.find("DateRevised")) if mc is not None else None, jget(gd, "revised"))
    hist = {}
    if pdata is not None:
        for h in pdata.findall("History/PubMedPubDate"):
            hist.setdefault(h.get("PubStatus"), iso_date(h))
    for st in ("entrez", "pubmed", "medline"):
        c.cmp(pmid, f"dates.{st}", hist.get(st), jget(gd, st))

    # references (including nested ReferenceLists)
    nref = sum(1 for _ in rec.iter("Reference"))
    gref = jget(got, "references")
    c.cmp(pmid, "references.len", nref, len(gref) if isinstance(gref, list) else None, "int")


# --------------------------------------------------------------------------- driver


def load_xml(path: str) -> ET.Element:
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as f:
            return ET.parse(f).getroot()
    return ET.parse(path).getroot()


def run_show(evcat, db, pmid):
    p = subprocess.run([evcat, "--db", db, "show", str(pmid), "--format", "json"],
                       capture_output=True, text=True, encoding="utf-8")
    if p.returncode != 0:
        return None, f"exit {p.returncode}: {p.stderr.strip()[:200]}"
    try:
        return json.loads(p.stdout), None
    except json.JSONDecodeError as e:
        return None, f"invalid JSON: {e}"


def check_file(evcat, path, root):
    c = Comparer()
    # choose, per PMID, the occurrence with the highest Version (ties: last one)
    chosen = {}
    order = []
    for rec in root:
        if rec.tag not in ("PubmedArticle", "PubmedBookArticle"):
            continue
        pmid, ver = record_pmid_version(rec)
        if pmid is None:
            c.mismatches.append(("?", "PMID", "a PMID element", None, "MISMATCH"))
            continue
        if pmid not in chosen:
            order.append(pmid)
            chosen[pmid] = (ver, rec)
        elif ver >= chosen[pmid][0]:
            chosen[pmid] = (ver, rec)
    deleted = [text_of(p) for p in root.findall("DeleteCitation/PMID")]

    with tempfile.TemporaryDirectory(prefix="evcat-check-") as tmp:
        db = os.path.join(tmp, "catalogue.sqlite")
        p = subprocess.run([evcat, "--db", db, "-q", "import", path], capture_output=True, text=True)
        if p.returncode != 0:
            c.mismatches.append(("-", "import", "exit 0", f"exit {p.returncode}: {p.stderr.strip()[:300]}",
                                 "MISMATCH"))
            return c, 0
        n = 0
        for pmid in order:
            if pmid in deleted:
                continue  # deleted later in the same file: checked below as a tombstone
            n += 1
            got, err = run_show(evcat, db, pmid)
            if got is None:
                c.fields += 1
                c.mismatches.append((pmid, "show", "a record", err, "MISMATCH"))
                continue
            try:
                check_record(c, chosen[pmid][1], got)
            except Exception as e:  # a bug in this script or very unexpected JSON
                c.mismatches.append((pmid, "check", "no exception", f"{type(e).__name__}: {e}", "MISMATCH"))
        for pmid in deleted:
            n += 1
            got, err = run_show(evcat, db, pmid)
            c.fields += 1
            if got is None:
                c.mismatches.append((pmid, "show(deleted)", "a tombstone", err, "MISMATCH"))
                continue
            if got.get("deleted") is not True:
                c.mismatches.append((pmid, "deleted", True, got.get("deleted"), "MISMATCH"))
            c.cmp(pmid, "pmid", pmid, jget(got, "pmid"))
    return c, n


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--evcat", required=True, help="path of the evcat binary")
    ap.add_argument("--samples", required=True, help="directory of PubMed XML samples")
    ap.add_argument("--all", action="store_true", help="report every mismatch, not only the first 10 per file")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    evcat = os.path.abspath(args.evcat)
    if not (os.path.isfile(evcat) and os.access(evcat, os.X_OK)):
        print(f"error: evcat binary not found or not executable: {args.evcat}", file=sys.stderr)
        return 2
    if not os.path.isdir(args.samples):
        print(f"error: samples directory not found: {args.samples}", file=sys.stderr)
        return 2

    files = []
    for dirpath, dirnames, filenames in os.walk(args.samples):
        dirnames.sort()
        for fn in sorted(filenames):
            if fn.endswith(".xml") or fn.endswith(".xml.gz"):
                files.append(os.path.join(dirpath, fn))
    if not files:
        print(f"error: no .xml / .xml.gz files under {args.samples}", file=sys.stderr)
        return 2

    tot_files = tot_records = tot_fields = tot_mis = tot_ws = 0
    for path in files:
        rel = os.path.relpath(path, args.samples)
        try:
            root = load_xml(path)
        except (ET.ParseError, OSError, EOFError) as e:
            print(f"SKIP {rel}: not parseable XML ({e})")
            continue
        if root.tag != "PubmedArticleSet":
            continue
        tot_files += 1
        c, n = check_file(evcat, path, root)
        tot_records += n
        tot_fields += c.fields
        ws = sum(1 for m in c.mismatches if m[4] == "WS-ONLY")
        tot_mis += len(c.mismatches) - ws
        tot_ws += ws
        if not c.mismatches:
            print(f"OK {rel}: {n} records, {c.fields} fields compared")
            continue
        print(f"FAIL {rel}: {n} records, {c.fields} fields compared, "
              f"{len(c.mismatches) - ws} mismatches, {ws} internal-whitespace-only")
        shown = c.mismatches if args.all else c.mismatches[:MAX_REPORTED_PER_FILE]
        for pmid, field, exp, got, cat in shown:
            print(f"  {cat} PMID {pmid} {field}: expected {short(exp)} got {short(got)}")
        if len(shown) < len(c.mismatches):
            print(f"  ... {len(c.mismatches) - len(shown)} more")
    print(f"TOTAL files: {tot_files}, records: {tot_records}, fields compared: {tot_fields}, "
          f"mismatches: {tot_mis + tot_ws} ({tot_mis} content, {tot_ws} internal-whitespace-only)")
    return 0 if tot_mis + tot_ws == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

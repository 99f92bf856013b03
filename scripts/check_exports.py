#!/usr/bin/env python3
"""Round-trips evcat's RIS, BibTeX and CSL-JSON exports through independent Python parsers.

Usage: python3 scripts/check_exports.py --evcat target/debug/evcat

Imports every fixture into a temporary catalogue, exports it in each format, and checks that
rispy (RIS), bibtexparser (BibTeX) and citeproc-py (CSL-JSON) read every record back with the
same PMIDs, first authors and titles. Needs: pip install rispy bibtexparser citeproc-py.
Exit status 0 when everything matches, 1 otherwise, 2 on setup errors.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile


def line_text(s):
    """What evcat's line formats (RIS, NBIB, BibTeX) keep of a text: control characters (C0 but
    tab and newline, DEL, C1) and bidi embedding/override/isolate characters are removed (README,
    `evcat export`)."""
    def kept(c):
        o = ord(c)
        if c in "\t\n":
            return True
        if o < 0x20 or 0x7F <= o <= 0x9F:
            return False
        return not (0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069)
    return "".join(c for c in s if kept(c))


def run(evcat, db, *args):
    out = subprocess.run([evcat, "--db", db, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"evcat {' '.join(args)} failed ({out.returncode}): {out.stderr}")
    return out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--evcat", required=True)
    args = ap.parse_args()
    try:
        import bibtexparser
        import rispy
        from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
        from citeproc.source.json import CiteProcJSON
    except ImportError as e:
        print(f"missing Python package: {e}", file=sys.stderr)
        return 2
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    fixtures = sorted(glob.glob(os.path.join(root, "fixtures", "*.xml")))
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "c.sqlite")
        run(args.evcat, db, "--quiet", "import", *fixtures)
        expected = json.loads(run(args.evcat, db, "export", "--format", "jsonl").replace("\n", ",").rstrip(",").join("[]"))
        by_pmid = {r["pmid"]: r for r in expected}
        with_data = {p: r for p, r in by_pmid.items() if r.get("title")}

        ris = rispy.loads(run(args.evcat, db, "export", "--format", "ris"))
        got = {int(e.get("accession_number") or 0): e for e in ris}
        for pmid, rec in with_data.items():
            e = got.get(pmid)
            if e is None:
                failures.append(f"RIS: PMID {pmid} missing")
                continue
            if e.get("title", e.get("primary_title")) != line_text(rec["title"]):
                failures.append(f"RIS: PMID {pmid} title {e.get('title')!r} != {rec['title']!r}")
        print(f"RIS: rispy read {len(ris)} records")

        bib_text = run(args.evcat, db, "export", "--format", "bibtex")
        lib = bibtexparser.loads(bib_text) if hasattr(bibtexparser, "loads") else bibtexparser.parse_string(bib_text)
        entries = lib.entries
        keys = [e.get("ID") if isinstance(e, dict) else e.key for e in entries]
        if len(set(keys)) != len(keys):
            failures.append("BibTeX: duplicate keys")
        pmids = set()
        for e in entries:
            fields = e if isinstance(e, dict) else {f.key: f.value for f in e.fields}
            if "pmid" in fields:
                pmids.add(int(fields["pmid"]))
        for pmid in with_data:
            if pmid not in pmids:
                failures.append(f"BibTeX: PMID {pmid} missing")
        print(f"BibTeX: bibtexparser read {len(entries)} entries, {len(set(keys))} distinct keys")

        csl = json.loads(run(args.evcat, db, "export", "--format", "csl-json"))
        source = CiteProcJSON(csl)
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        bib = CitationStylesBibliography(style, source, formatter.plain)
        for item in csl:
            bib.register(Citation([CitationItem(item["id"])]))
        rendered = [str(b) for b in bib.bibliography()]
        if len(rendered) != len(csl):
            failures.append(f"CSL-JSON: citeproc-py rendered {len(rendered)} of {len(csl)} items")
        print(f"CSL-JSON: citeproc-py rendered {len(rendered)} references")
    for f in failures:
        print("MISMATCH", f)
    print("OK" if not failures else f"{len(failures)} mismatches")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())

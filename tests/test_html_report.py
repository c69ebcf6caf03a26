"""The HTML report as a person meets it (headless Chromium at 1400 and 800 px, checked in the DOM)
and the Markdown summary: highlights, tooltips, links, charts, timeline, run record, warnings."""

import html.parser
import json
import os
import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from tipx.cli import app

from conftest import CORPUS, SAMPLES, corpus

runner = CliRunner()


def summarize(*args):
    return runner.invoke(app, ["summarize", *map(str, args)])


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
    pytest.skip("chromium not installed")


def dump_dom(page, profile, *flags: str, width: int = 1400) -> subprocess.CompletedProcess:
    """The page's DOM after its scripts ran, in a window ``width`` px wide."""
    return subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--window-size={width},3000",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *flags,
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


# Measured in the laid-out page, after the report's own script: the result goes into the DOM.
CHECKS = r"""
<script>
(function () {
  var all = function (sel, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(sel));
  };
  var r = {};
  all("details").forEach(function (d) { d.open = true; });  // every table laid out
  var textMarks = all(".text mark");
  r.marks = textMarks.length;
  r.untitled = textMarks.filter(function (m) { return !m.title; }).length;
  r.titles = textMarks.map(function (m) { return [m.textContent, m.className, m.title]; });
  var fun = all(".text mark.fun");
  r.funders = fun.length;
  r.funderColour = fun.length ? getComputedStyle(fun[0]).backgroundColor : null;
  r.legendFunderColour = getComputedStyle(document.querySelector(".legend mark.fun")).backgroundColor;
  var links = all('a[href^="#"]');
  r.links = links.length;
  r.broken = links.filter(function (a) { return !document.getElementById(a.getAttribute("href").slice(1)); })
    .map(function (a) { return a.getAttribute("href"); });
  r.unlinked = all("td.source, td.sources, td.duplicate_of").filter(function (td) {
    return !td.querySelector("a");
  }).map(function (td) { return td.textContent; });
  r.targets = {};
  all("table").forEach(function (table) {
    var name = table.className.replace("sortable ", "");
    r.targets[name] = all("td.source a, td.sources a", table).map(function (a) {
      var t = document.getElementById(a.getAttribute("href").slice(1));
      return t.tagName.toLowerCase() + "." + t.className;
    });
  });
  r.clipped = all(".bars .label").filter(function (l) {
    return l.scrollWidth > l.clientWidth || l.scrollHeight > l.clientHeight;
  }).map(function (l) { return l.textContent; });
  r.labels = all(".bars .label").map(function (l) { return l.textContent; });
  r.svgClipped = all("svg text").filter(function (t) {
    var box = t.getBBox(), width = t.ownerSVGElement.getBoundingClientRect().width;
    return box.x < 0 || box.x + box.width > width;
  }).map(function (t) { return t.textContent; });
  r.barTitles = all(".bars .label").map(function (l) { return [l.textContent, l.title]; });
  // a file name breaks only where it has a <wbr>, and it has one after each separator
  var names = all("td.source a, td.sources a, td.duplicate_of a");
  r.names = names.length;
  r.noBreakAfterSeparator = names.filter(function (a) {
    return Array.prototype.some.call(a.childNodes, function (n) { return /[\/_.-][^]/.test(n.data || ""); });
  }).map(function (a) { return a.textContent; });
  r.brokenNames = names.filter(function (a) {
    return Array.prototype.some.call(a.childNodes, function (n) {
      if (n.nodeType !== Node.TEXT_NODE) return false;
      var range = document.createRange();
      range.selectNodeContents(n);
      var lines = Array.prototype.filter.call(range.getClientRects(), function (b) { return b.width > 0; });
      return lines.length > 1;
    });
  }).map(function (a) { return a.textContent; });
  r.scrolling = all(".scroll").filter(function (box) { return box.scrollWidth > box.clientWidth; })
    .map(function (box) { return box.firstElementChild.className.replace("sortable ", ""); });
  r.caption = document.querySelector(".timeline figcaption").textContent;
  r.bands = all("svg.timeline text.band").map(function (t) {
    var b = t.getBoundingClientRect();
    return [t.textContent, b.top, b.bottom];
  });
  r.rects = all("svg.timeline rect").map(function (rect) {
    var b = rect.getBoundingClientRect();
    return [rect.getAttribute("class") || "", b.top, b.bottom, b.left, b.right];
  });
  r.more = all(".chart .more").map(function (p) { return p.textContent; });
  r.mode = document.compatMode;
  r.pageWidth = document.documentElement.scrollWidth;
  r.windowWidth = window.innerWidth;
  r.wrappedDates = all("table.documents td.published").filter(function (td) {
    var range = document.createRange();
    range.selectNodeContents(td);
    return td.textContent && range.getClientRects().length > 1;
  }).length;
  r.titleWidths = all("table.documents td.title").map(function (td) {
    return td.getBoundingClientRect().width;
  });
  r.years = all("svg.timeline text:not(.band)").map(function (t) { return +t.textContent; });
  var shown = all("svg.timeline text:not(.band)").map(function (t) { return t.getBoundingClientRect(); })
    .filter(function (b) { return b.width > 0; });
  r.yearLabelsShown = shown.length;
  r.yearLabelsOverlap = shown.filter(function (b, i) { return i && b.left < shown[i - 1].right + 2; }).length;
  r.bars = all("svg.timeline rect").map(function (rect) {
    return [rect.querySelector("title").textContent, rect.getBoundingClientRect().width];
  });
  r.events = all("table.events tbody tr").length;
  var table = document.querySelector("table.countries");
  var column = function (i) {
    return all("tbody tr", table).map(function (row) { return row.cells[i].textContent; });
  };
  table.tHead.rows[0].cells[1].querySelector("button").click();
  r.byIso2 = column(1);
  table.tHead.rows[0].cells[3].querySelector("button").click();
  r.byDocuments = column(3).map(Number);
  var result = JSON.stringify(r).replace(/</g, "\\u003c");
  document.body.insertAdjacentHTML("beforeend", "<pre id=checks>" + result + "</pre>");
})();
</script>
"""


@pytest.fixture(scope="module")
def dev_report(dev_corpus, tmp_path_factory):
    """The report of both development corpora, as a user makes it (paths like dev/000_f2fa….txt)."""
    folder = tmp_path_factory.mktemp("report")
    report = folder / "report.html"
    result = summarize(dev_corpus, corpus(CORPUS / "dev2"), "-o", report)
    assert result.exit_code == 0, result.stderr
    return report


def _checked(report, width: int) -> dict:
    page = report.with_name(f"checked{width}.html")
    page.write_text(report.read_text().replace("</body>", CHECKS + "</body>"))
    run = dump_dom(page, report.parent / f"profile{width}", width=width)
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == [], console
    found = run.stdout.split('<pre id="checks">', 1)[1].split("</pre>", 1)[0]
    return json.loads(html.unescape(found))


@pytest.fixture(scope="module")
def checked(dev_report):
    return _checked(dev_report, 1400)


@pytest.fixture(scope="module")
def checked_800(dev_report):
    return _checked(dev_report, 800)


@pytest.fixture(scope="module")
def checked_500(dev_report):
    return _checked(dev_report, 500)  # as narrow as headless Chromium's window goes


def test_funders_are_highlighted_in_their_own_style(checked):
    assert checked["funders"] >= 20
    assert checked["funderColour"] == checked["legendFunderColour"] == "rgb(226, 194, 245)"
    # a funder that is also an organisation: one mark, both roles in its tooltip, the funder's colour
    eu = [t for t in checked["titles"] if t[0] == "EU" and "fun" in t[1]]
    assert (
        eu and "Organisations: European Union (EU)" in eu[0][2] and "Funders: European Union (EU)" in eu[0][2]
    )


def test_every_highlight_has_a_tooltip_with_the_normalised_value(checked):
    assert checked["marks"] > 500 and checked["untitled"] == 0
    titles = {(text, title) for text, _, title in checked["titles"]}
    assert ("South Africa", "Countries: South Africa (ZA / ZAF)") in titles
    assert ("14 March 2023", "Dates: 2023-03-14") in titles
    assert ("6 to 10 March 2023", "Dates: 2023-03-06/2023-03-10") in titles
    assert ("2,563 individuals", "Participants: 2563") in titles
    assert any(
        t == "IOM" and "International Organization for Migration (IOM)" in title for t, title in titles
    )
    assert any(title.startswith("Contacts: pshikongo@ilo.org") for _, title in titles)


def test_sources_link_to_their_item_in_the_text(checked):
    assert checked["links"] > 100 and checked["broken"] == [] and checked["unlinked"] == []
    targets = checked["targets"]
    assert len(targets["documents"]) == 31 and set(targets["documents"]) == {"section.doc"}
    # a funder's, a participant's, a contact's source opens the text at that very item
    assert targets["funders"] and all(t.startswith("mark.") and "fun" in t for t in targets["funders"])
    assert targets["participants"] and all(
        t.startswith("mark.") and "par" in t for t in targets["participants"]
    )
    assert targets["contacts"] and all(t.startswith("mark.") and "eml" in t for t in targets["contacts"])
    assert targets["events"] and all(t.startswith("mark.") and "dat" in t for t in targets["events"])


def test_the_page_fits_1400_px_and_labels_are_whole(checked):
    assert checked["mode"] == "CSS1Compat"  # the generated-by comment above the doctype is harmless
    assert checked["pageWidth"] <= checked["windowWidth"]  # no sideways scrolling
    assert checked["scrolling"] == []  # not even of a table in its box
    assert checked["wrappedDates"] == 0 and min(checked["titleWidths"]) >= 300
    assert "Ministry of Home Affairs and Cultural Heritage" in checked["labels"]
    assert checked["clipped"] == [] and checked["svgClipped"] == []
    # top-N charts say what they left out
    assert any(
        m.startswith("and ") and " more with " in m and m.endswith("documents") for m in checked["more"]
    )


def test_at_800_px_only_a_table_too_wide_scrolls_in_its_box(checked_800):
    """The page never scrolls sideways; the documents table (all its columns) still fits."""
    assert checked_800["windowWidth"] == 800 and checked_800["pageWidth"] <= 800
    assert "documents" not in checked_800["scrolling"]
    assert checked_800["clipped"] == [] and checked_800["svgClipped"] == []
    assert checked_800["yearLabelsShown"] == len(checked_800["years"])  # every year named
    assert checked_800["yearLabelsOverlap"] == 0


def test_at_500_px_wide_tables_scroll_in_their_boxes_not_the_page(checked_500):
    assert checked_500["windowWidth"] == 500 and checked_500["pageWidth"] <= 500
    assert "documents" in checked_500["scrolling"] and checked_500["svgClipped"] == []
    # every other year named where every year's name does not fit
    assert checked_500["yearLabelsShown"] >= 8 and checked_500["yearLabelsOverlap"] == 0


@pytest.mark.parametrize("width", [1400, 800])
def test_file_names_break_only_between_their_parts(width, checked, checked_800):
    """dev/003_d0d7a03bcd54607e.txt may wrap after 'dev/' or '003_' or 'e.', never inside a part."""
    found = {1400: checked, 800: checked_800}[width]
    assert found["names"] > 100
    assert found["noBreakAfterSeparator"] == []
    assert found["brokenNames"] == []


def test_chart_tooltips_name_a_thing_once_and_count_in_words(checked):
    titles = dict(checked["barTitles"])
    assert titles["South Africa (ZA)"].startswith("South Africa (ZA / ZAF): ")
    assert titles["IOM"].startswith("International Organization for Migration (IOM): ")
    assert all(re.fullmatch(r"[^:]+: (1 document|([02-9]|\d\d+) documents)", t) for t in titles.values())
    assert any(t.endswith(": 1 document") for t in titles.values())


def test_year_only_events_have_a_band_of_their_own_and_bars_stack_on_bars(checked):
    assert "by month" not in checked["caption"] and "one bar per dated event" in checked["caption"]
    (yearly, *_), (exact, *_) = checked["bands"]
    assert re.fullmatch(r"\d+ events known to the year only", yearly)
    assert re.fullmatch(r"\d+ events known to the day or month", exact)
    assert int(yearly.split()[0]) + int(exact.split()[0]) == len(checked["rects"]) == checked["events"]
    year = [r for r in checked["rects"] if r[0] == "year"]
    day = [r for r in checked["rects"] if r[0] != "year"]
    exact_label_top = checked["bands"][1][1]
    assert max(r[2] for r in year) < exact_label_top < min(r[1] for r in day)  # the label between
    for band in (year, day):
        base = max(r[2] for r in band)
        for _, top, bottom, left, _ in band:
            # a bar above its band's base rests on a bar still running when it starts
            assert bottom > base - 0.5 or any(
                abs(b_top - bottom - 1) < 0.5 and b_left <= left + 0.5 and b_right >= left
                for _, b_top, _, b_left, b_right in band
            ), (top, left)


def test_the_timeline_is_a_time_axis_with_its_events_listed(checked):
    years = checked["years"]
    assert years == list(range(years[0], years[-1] + 1)) and 2012 in years  # a year with no event shows
    bars = dict(checked["bars"])
    assert len(bars) == checked["events"] >= 50  # one bar per dated event, each listed below
    day = next(w for t, w in bars.items() if t.startswith("2023-03-14: 14 March 2023"))
    project = next(w for t, w in bars.items() if t.startswith("2022-08/2025-01"))  # 30 months
    assert project > 20 * day


def test_tables_sort_on_a_click(checked):
    assert checked["byIso2"] == sorted(checked["byIso2"]) and len(checked["byIso2"]) > 10
    assert checked["byDocuments"] == sorted(checked["byDocuments"], reverse=True)


def test_the_page_works_without_scripts(dev_report):
    """Without scripts a browser shows the page as written: headings are text (the sort buttons
    are the script's own), long lists are <details>, links are plain anchors."""
    page = dev_report.read_text()
    head, script = page.rsplit("<script>", 1)
    assert script.strip().endswith("</script></body></html>") and "<script" not in head
    assert "<button" not in head and "onclick" not in head
    # nothing is hidden but, in a narrow window, every other year's name on the timeline
    before, style, body = re.split(r"</?style>", head)
    assert re.findall(r"[^{}]*\{display:none\}", style) == ["svg.timeline text.thin{display:none}"]
    assert "display:none" not in before + body
    assert '<th class="iso2" title="iso2">iso2</th>' in head
    assert re.search(
        r'<details><summary>Show all \d+ rows</summary><div class="scroll">'
        r'<table class="sortable organisations">',
        head,
    )


def test_html_report_in_a_headless_browser(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SAMPLES / "press_release.txt", folder / "a.txt")
    (folder / "hostile.txt").write_text(
        "Police trained in Maputo on trafficking cases\n\nMaputo, 3 May 2024 – The Ministry of Justice "
        "trained 20 judges. <script>document.title='pwned';window.pwned=1</script> <b>bold?</b>\n"
    )
    report = tmp_path / "report.html"
    assert summarize(folder, "-o", report).exit_code == 0
    page = report.read_text()
    body = page.split("\n", 1)[1]  # past the generated-by comment
    assert "http://" not in body and "https://" not in body and "<link" not in body  # self-contained
    assert "&lt;script&gt;document.title" in page and page.count("<script") == 1  # only the sorter
    run = dump_dom(report, tmp_path / "profile")
    dom = run.stdout
    assert "<title>tipx summary</title>" in dom  # the document's script did not run
    assert dom.count('<figure class="chart">') == 3 and '<figure class="chart timeline">' in dom
    assert "&lt;script&gt;document.title='pwned'" in dom
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == [], console


# ---------------------------------------------------------------------------- without a browser


class _Nesting(html.parser.HTMLParser):
    """Checks marks nest properly and collects the text."""

    def __init__(self):
        super().__init__()
        self.open, self.text, self.classes = [], [], []

    def handle_starttag(self, tag, attrs):
        assert tag == "mark"
        self.open.append(tag)
        self.classes.append((dict(attrs)["class"], len(self.open)))

    def handle_endtag(self, tag):
        assert self.open.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


def test_highlight_keeps_the_text_and_nests_marks(dev_corpus):
    from tipx.engine import read_document, records
    from tipx.fields import FIELDS
    from tipx.html_report import highlight
    from tipx.pipeline import load_pipeline

    article = read_document(str(dev_corpus / "d01.txt"))[0]
    record = next(records([article], load_pipeline()))
    marked, anchors = highlight(article.text, record, "d1")
    parser = _Nesting()
    parser.feed(marked)
    parser.close()
    assert parser.open == [] and "".join(parser.text) == article.text
    # "United States Department of State" is a funder holding a country: two marks, one inside the other
    assert ("fun", 1) in parser.classes or ("org fun", 1) in parser.classes
    assert ("cty", 2) in parser.classes
    assert set(anchors) == {(f.name, i) for f in FIELDS for i in range(len(record[f.name]))}


def test_outputs_start_with_the_generated_mark_and_carry_the_run(tmp_path):
    from tipx import engine
    from tipx.export import Format, Output, emit
    from tipx.runinfo import generated_comment, is_generated, run_info
    from tipx.summary import Summary, find_documents

    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SAMPLES / "press_release.txt", folder / "a.txt")
    (folder / "b.txt").write_bytes(
        b"Police trained in Maputo\n\nMaputo, 3 May 2024 \x96 The Ministry of Justice trained 20 "
        b"\x93frontline\x94 judges with IOM.\n"
    )
    paths, _ = find_documents([str(folder)])
    run = run_info([str(folder)], "default", {"lang": "en", "name": "tipx", "version": "1.2.3"})
    for fmt, name in ((Format.html, "r.html"), (Format.md, "r.md")):
        emit(fmt, Output(engine.run(paths, dedupe=True), Summary(), True, run=run), tmp_path / name)
    page, md = (tmp_path / "r.html").read_text(), (tmp_path / "r.md").read_text()
    for text in (page, md):
        assert text.startswith(generated_comment()) and is_generated(text.encode())
        assert "1.2.3" in text and run["date"] in text
        assert "not UTF-8; decoded as cp1252" in text and "1 warning" in text
    assert '<meta name="generator" content="tipx ' in page
    assert f"<li>{folder}</li>" in page.replace("<wbr>", "")  # a path may wrap after each slash
    assert "(en_tipx 1.2.3" in page and f"- inputs (1): {folder}".replace("_", "\\_") in md
    assert '<p class="warn">Warning: not UTF-8; decoded as cp1252</p>' in page
    assert "## Warnings" in md and "## Run" in md


def test_markdown_rows_survive_control_characters_in_names(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SAMPLES / "press_release.txt", folder / "a\rb.txt")
    shutil.copy(SAMPLES / "story.html", folder / "c\x1b[2Jd|e.html")
    result = summarize(folder, "-f", "md")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    table = lines[lines.index("## Documents") + 2 :]
    table = table[: table.index("")]
    assert len(table) == 4 and all(line.startswith("|") and line.endswith("|") for line in table)
    assert "a\\\\rb.txt" in result.stdout and "c\\\\x1b\\[2Jd\\|e.html" in result.stdout
    assert "\r" not in result.stdout and "\x1b" not in result.stdout

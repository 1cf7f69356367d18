"""The HTML report: what the page holds, escaping, size for many pairs, and Chromium.

Results folders are written by hand here (pairs.csv, errors.csv, unpaired.csv,
summary.json in the format of docs/architecture.md), so the report is tested apart
from the scoring. Values in them are arbitrary; the tests check what the page shows.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import gallery
import numpy as np
import pytest
from PIL import Image

from maskqa.errors import InputError
from maskqa.viz.report import script_json, write_report

COLUMNS = [
    "name",
    "reference",
    "candidate",
    "height",
    "width",
    "n_reference_px",
    "n_candidate_px",
    "n_intersection_px",
    "iou",
    "boundary_f@1px",
    "boundary_f@2px",
    "boundary_f@5px",
    "trimap_iou@1px",
    "trimap_iou@3px",
    "hd95",
    "over_px_0_1",
    "over_px_1_2",
    "over_px_gt2",
    "under_px_0_1",
    "under_px_1_2",
    "under_px_gt2",
]

EVIL = '<script>alert("x")</script>\'q"'


def _save(mask, path):
    Image.fromarray(mask.astype(np.uint8) * 255).save(path)
    return str(path)


def write_results(folder, names, *, masks_dir=None, errors=(), unpaired=()):
    """A results folder with one row per name; masks are gallery disks grown by i px."""
    folder.mkdir(parents=True, exist_ok=True)
    masks_dir = masks_dir or folder / "masks"
    masks_dir.mkdir(exist_ok=True)
    fine = gallery.disk(radius=8.0)
    rows = []
    for i, name in enumerate(names):
        coarse = gallery.disk(radius=8.0 + (i % 4))
        # The first few pairs have their own files (named after the pair, so that odd
        # names reach the file system); the rest share one, to stay fast.
        stem = name.replace("/", "_") if i < 4 else f"shared{i % 4}"
        reference = masks_dir / f"{stem}_fine.png"
        candidate = masks_dir / f"{stem}_coarse.png"
        if not candidate.exists():
            _save(fine, reference), _save(coarse, candidate)
        score = 1.0 - (i % 10) / 10
        rows.append(
            {
                "name": name,
                "reference": str(reference),
                "candidate": str(candidate),
                "height": 32,
                "width": 40,
                "n_reference_px": int(fine.sum()),
                "n_candidate_px": int(coarse.sum()),
                "n_intersection_px": int(fine.sum()),
                "iou": score,
                "boundary_f@1px": score / 2,
                "boundary_f@2px": score,
                "boundary_f@5px": 1.0,
                "trimap_iou@1px": score / 3,
                "trimap_iou@3px": score,
                "hd95": "inf" if i == 1 else i % 4,
                "over_px_0_1": 10,
                "over_px_1_2": 5,
                "over_px_gt2": i % 4,
                "under_px_0_1": 2,
                "under_px_1_2": 0,
                "under_px_gt2": 0,
            }
        )
    with (folder / "pairs.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with (folder / "errors.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, ["name", "reference", "candidate", "error"])
        writer.writeheader()
        writer.writerows(errors)
    with (folder / "unpaired.csv").open("w", newline="") as handle:
        # As the runner writes it (maskqa.runner.batch._write_unpaired).
        writer = csv.DictWriter(handle, ["side", "path", "reason"])
        writer.writeheader()
        writer.writerows(unpaired)
    summary = {
        "maskqa_version": "0.1.0",
        "n_pairs": len(names) + len(errors),
        "n_scored": len(names),
        "n_failed": len(errors),
        "n_unpaired": len(unpaired),
        "params": {"border": "exclude", "tolerance_px": [1, 2, 5]},
        "metrics": {
            "iou": {"mean": 0.55, "pooled": 0.6, "n": len(names), "n_undefined": 0},
            "hd95": {"mean": "inf", "pooled": None, "n": len(names), "n_undefined": 0},
        },
    }
    (folder / "summary.json").write_text(json.dumps(summary))
    return folder


@pytest.fixture
def results(tmp_path):
    names = ["pair_a", "pair_b", "pair_c", "pair_d", "pair_e"]
    return write_results(
        tmp_path / "results",
        names,
        errors=[
            {
                "name": "bad",
                "reference": "r.png",
                "candidate": "c.png",
                "error": "cannot read the mask",
            }
        ],
        unpaired=[{"side": "reference", "path": "/x/lonely.png"}],
    )


def test_an_unfinished_run_and_its_warnings_are_said(results):
    # A finished run: no notice; two warnings in warnings.csv are counted.
    (results / "warnings.csv").write_text(
        "name,warning\npair_a,ThresholdWarning: x\npair_b,ThresholdWarning: y\n"
    )
    page = " ".join(write_report(results, worst_k=1).read_text().split())
    assert 'id="unfinished"' not in page
    assert "2 warnings while scoring" in page and "warnings.csv" in page
    # An interrupted run has no summary.json: the page says so and how to go on.
    (results / "summary.json").unlink()
    (results / "warnings.csv").unlink()
    page = " ".join(write_report(results, worst_k=1).read_text().split())
    assert 'id="unfinished"' in page and "--resume" in page
    assert 'id="warnings-note"' not in page


def _images(page: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', page)


def _png(source: str, folder: Path) -> Image.Image:
    """The picture of an <img src>: a data: URI, or a file relative to ``folder``."""
    prefix = "data:image/png;base64,"
    if source.startswith(prefix):
        return Image.open(io.BytesIO(base64.b64decode(source[len(prefix) :])))
    return Image.open(folder / unquote(source))


def test_page_holds_summary_curves_worst_pairs_and_parameters(results):
    out = write_report(results, worst_k=3)
    page = out.read_text()

    # The page is RESULTS/report.html with its pictures embedded: no folder beside.
    assert out == results / "report.html"
    assert not (results / "report_files").exists()
    sources = _images(page)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)

    # Curves of the two NAME@Npx families, the distribution, the disagreement bars,
    # the contact sheet and one overlay per worst pair: 2 + 2 + 1 + 3 = 8 images...
    assert 'alt="boundary_f against tolerance' in page
    assert 'alt="trimap_iou against band width' in page
    assert 'alt="disagreeing pixels by distance' in page
    assert 'alt="distribution of per-pair' in page
    assert page.count('alt="overlay of ') == 3
    assert len(sources) == 8

    # ...ranked by IoU (the default when it varies): pairs with the lowest values.
    worst = re.findall(r'<span class="name">([^<]+)</span>', page)
    assert worst == ["pair_e", "pair_d", "pair_c"]
    assert "by iou (larger is better)" in page

    # The summary table, the non-finite mean spelled out, and the parameters used.
    assert re.search(r"<td class=\"text\">hd95</td><td>inf</td>", page)
    assert "params.border" in page and "report.worst_k" in page
    assert "1 failed" in page and "1 files unpaired" in page


def test_pictures_are_pngs_of_the_announced_size(results):
    page = write_report(results, worst_k=2).read_text()
    for match in re.finditer(
        r'<img src="([^"]+)" alt="[^"]*"\s+width="(\d+)" height="(\d+)"', page
    ):
        with _png(match[1], results) as image:
            assert image.format == "PNG"
            assert image.size == (int(match[2]), int(match[3]))


def test_metric_option_ranks_distances_smaller_first(results):
    page = write_report(results, worst_k=2, metric="hd95").read_text()

    # hd95 is a distance: the worst are the largest, inf (pair_b) first, then 3.
    assert re.findall(r'<span class="name">([^<]+)</span>', page) == [
        "pair_b",
        "pair_d",
    ]
    assert "hd95 (smaller is better)" in page


def test_unknown_metric_and_missing_folder_are_input_errors(results, tmp_path):
    with pytest.raises(InputError, match="`metric`"):
        write_report(results, metric="no_such_metric")
    # A text column of pairs.csv is no metric to rank by.
    with pytest.raises(InputError, match="metric column .* got 'reference'"):
        write_report(results, metric="reference")
    with pytest.raises(InputError, match="pairs.csv"):
        write_report(tmp_path / "nothing")
    with pytest.raises(InputError, match="worst_k"):
        write_report(results, worst_k=0)


def test_pictures_as_files_go_beside_the_page_which_says_so(results, tmp_path):
    out = write_report(
        results, out=tmp_path / "site" / "my report.html", worst_k=1, embed=False
    )
    page = out.read_text()

    # The folder is named after the page; its URL is percent-encoded; every picture
    # is a PNG there, and the page says the folder must stay beside it.
    folder = tmp_path / "site" / "my report_files"
    sources = _images(page)
    assert folder.is_dir() and sources
    assert all(s.startswith("my%20report_files/") for s in sources)
    assert {unquote(s).split("/", 1)[1] for s in sources} >= {
        "curve_boundary_f.png",
        "curve_trimap_iou.png",
        "disagreement_by_distance.png",
        "distribution.png",
        "worst_sheet.png",
        "worst_001.png",
    }
    for source in sources:
        assert (out.parent / unquote(source)).is_file()
    assert "keep it beside this page" in " ".join(page.split())


def test_ceiling_json_is_shown_and_gives_the_curve_interval(results):
    ceiling = {
        "params": {"n_boot": 200, "confidence": 0.95, "seed": 0},
        "metrics": {
            "iou": {
                "mean": 0.55,
                "ci_low": 0.4,
                "ci_high": 0.7,
                "median": 0.5,
                "p05": 0.2,
                "minimum": 0.15,
                "pooled": 0.6,
                "n": 5,
                "n_undefined": 0,
            },
            "hd95": {"mean": 9.0, "minimum": 1.0, "maximum": 30.0, "n": 5},
        },
        "curves": {
            "boundary_f": {
                "family": "boundary_f",
                "widths_px": [1, 2, 5],
                "points": [
                    {
                        "mean": m,
                        "ci_low": m - 0.1,
                        "ci_high": m + 0.1,
                        "confidence": 0.95,
                    }
                    for m in (0.3, 0.6, 1.0)
                ],
            }
        },
        "tolerance_for_f": {"0.9": 4.2},
        "sentences": ["The candidate labels cap <b>IoU</b> at 0.6."],
    }
    (results / "ceiling.json").write_text(json.dumps(ceiling))
    page = write_report(results, worst_k=1).read_text()

    assert "Accuracy ceiling" in page and "4.2 px" in page
    # 5 images: the worst column is the worst image, the smallest IoU and the
    # largest HD95, as in ceiling.md.
    table = " ".join(page[page.index('<table id="ceiling-table">') :].split())
    table = table[: table.index("</table>")]
    assert "<th>worst image</th>" in table and "5th percentile" not in page
    assert "<td>0.15</td>" in table and "<td>30</td>" in table
    assert "95% bootstrap interval of the mean (ceiling.json)" in page
    # The band named in the parameters is the one drawn, family by family: the
    # ceiling's interval for boundary F, the spread of the pairs for trimap IoU.
    assert _setting(page, "report.curve_band") == (
        "boundary_f: 95% bootstrap interval of the mean (ceiling.json); "
        "trimap_iou: band where the middle 80 % of pairs lie (10 % to 90 % quantiles)"
    )
    # The sentence is text: its markup is escaped.
    assert "cap &lt;b&gt;IoU&lt;/b&gt; at 0.6" in page


def _setting(page: str, key: str) -> str:
    """The value of one row of the page's table of conventions and parameters."""
    match = re.search(
        rf'<td class="text">{re.escape(key)}</td><td class="text">([^<]*)</td>', page
    )
    return match[1]


def test_without_ceiling_json_the_curve_band_is_the_spread_of_the_pairs(results):
    page = write_report(results, worst_k=1).read_text()
    assert _setting(page, "report.curve_band") == (
        "band where the middle 80 % of pairs lie (10 % to 90 % quantiles)"
    )
    assert "bootstrap" not in page


def test_script_json_cannot_close_its_block():
    text = script_json({"name": EVIL, "line": "a\u2028b"})

    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text)["name"] == EVIL


def test_names_and_paths_with_markup_are_shown_as_text(tmp_path):
    results = write_results(
        tmp_path / "r",
        [EVIL, "plain"],
        errors=[
            {
                "name": EVIL,
                "reference": EVIL,
                "candidate": "c",
                "error": f"cannot read {EVIL}",
            }
        ],
    )
    page = write_report(results, worst_k=2).read_text()

    # The only <script> elements are the page's own: two JSON blocks and its code.
    assert page.count("<script") == 3
    assert "alert" in page  # the name is there...
    assert '<script>alert("x")' not in page  # ...but never as markup
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&#39;q&#34;" in page


def test_ten_thousand_pairs_make_a_paged_page_not_ten_thousand_images(tmp_path):
    names = [f"pair_{i:05d}" for i in range(10_000)]
    results = write_results(tmp_path / "big", names)
    page = write_report(results, worst_k=4).read_text()

    # Pictures do not grow with the pairs; the rows are one embedded JSON block.
    assert len(_images(page)) == 4 + 5
    data = re.search(
        r'<script type="application/json" id="pairs-data">(.*?)</script>', page, re.S
    )[1]
    assert len(json.loads(data)["rows"]) == 10_000
    assert len(page) < 3_000_000


# --- in a real browser -------------------------------------------------------------


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no chromium on PATH (apt-get install chromium; .ci/run installs it)")


def _artefacts(tmp_path) -> Path:
    folder = Path(os.environ.get("MASKQA_ARTIFACTS") or tmp_path / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_in_chromium(page: Path, screenshot: Path, profile: Path):
    """Load a page headless; return (DOM after scripts ran, console lines)."""
    base = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        "--window-size=1280,2400",
    ]
    url = page.resolve().as_uri()
    dom = subprocess.run(
        base + ["--enable-logging=stderr", "--v=0", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
    subprocess.run(
        base + [f"--screenshot={screenshot}", url], capture_output=True, timeout=120
    )
    return dom.stdout, console


def test_report_opens_in_chromium(tmp_path):
    results = write_results(
        tmp_path / "r",
        [EVIL, "pair_b", "pair_c"],
        errors=[
            {"name": "bad", "reference": "r", "candidate": "c", "error": "unreadable"}
        ],
        unpaired=[{"side": "candidate", "path": EVIL}],
    )
    out = write_report(results, worst_k=3)
    artefacts = _artefacts(tmp_path)
    screenshot = artefacts / "report_synthetic.png"
    dom, console = open_in_chromium(out, screenshot, tmp_path / "profile")

    # The page loaded and ran its code: every picture loaded, the tables were drawn.
    total = int(re.search(r'data-images-total="(\d+)"', dom)[1])
    assert total == len(_images(out.read_text())) > 0
    assert 'data-images-broken="0"' in dom
    assert re.search(r'id="pairs-page">page 1 of 1 \(3 of 3 rows\)', dom)
    assert console == []

    # The odd name is a text node in the table, not an element.
    assert "&lt;script&gt;alert" in dom
    assert "<script>alert" not in dom
    assert screenshot.is_file() and Image.open(screenshot).size == (1280, 2400)


def test_missing_pictures_are_reported_on_the_page(tmp_path):
    results = write_results(tmp_path / "r", ["a", "b"])
    out = write_report(results, worst_k=1, embed=False)
    shutil.rmtree(results / "report_files")
    dom, _ = open_in_chromium(out, tmp_path / "shot.png", tmp_path / "profile")

    assert not re.search(r'data-images-broken="0"', dom)
    assert "pictures did not load: keep the folder" in dom


def _evaluate(reference_dir, candidate_dir, out, images_dir=None):
    from maskqa.runner import evaluate_dirs

    evaluate_dirs(reference_dir, candidate_dir, out, images_dir=images_dir, workers=1)
    return out


def test_report_of_the_bundled_samples_opens_in_chromium(tmp_path):
    samples = Path(__file__).resolve().parents[1] / "data" / "samples" / "lemur"
    if not (samples / "reference").is_dir():
        pytest.skip("data/samples/lemur is absent")
    results = _evaluate(
        samples / "reference", samples / "candidate", tmp_path / "r", samples / "images"
    )
    out = write_report(results, images_dir=samples / "images", band_px=5)
    screenshot = _artefacts(tmp_path) / "report_samples.png"
    dom, console = open_in_chromium(out, screenshot, tmp_path / "profile")

    # 4 lemur pairs: 4 worst overlays drawn over the photograph, all pictures loaded.
    assert out.read_text().count("<br>image <code>") == 4
    assert 'data-images-broken="0"' in dom and console == []
    assert "page 1 of 1 (4 of 4 rows)" in dom


def test_report_of_the_real_pairs_opens_in_chromium(tmp_path, real_pairs):
    reference, candidate = tmp_path / "fine", tmp_path / "coarse"
    reference.mkdir(), candidate.mkdir()
    for fine in sorted(real_pairs.glob("*_fine.png")):
        name = fine.name[: -len("_fine.png")]
        (reference / f"{name}.png").symlink_to(fine)
        (candidate / f"{name}.png").symlink_to(real_pairs / f"{name}_coarse.png")
    results = _evaluate(reference, candidate, tmp_path / "r")
    out = write_report(results, worst_k=6)
    screenshot = _artefacts(tmp_path) / "report_real_pairs.png"
    dom, console = open_in_chromium(out, screenshot, tmp_path / "profile")

    n_pairs = len(list(reference.iterdir()))
    assert f"page 1 of 1 ({n_pairs} of {n_pairs} rows)" in dom
    assert 'data-images-broken="0"' in dom and console == []


# --- masks read as scored, missing images, runs where nothing was scored -----------


def _rewrite_pairs(folder: Path, change) -> None:
    """Apply ``change(row) -> row`` to every row of pairs.csv (columns may be added)."""
    with (folder / "pairs.csv").open(newline="") as handle:
        rows = [change(dict(row)) for row in csv.DictReader(handle)]
    columns = list(rows[0])
    with (folder / "pairs.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)


def test_masks_are_drawn_with_the_threshold_they_were_scored_with(
    tmp_path, monkeypatch
):
    import warnings

    import maskqa.viz.report as report_module
    from maskqa.errors import ThresholdWarning

    results = write_results(tmp_path / "r", ["a"])

    # The candidate is 255 on a disk of radius 5 and 200 out to radius 11: with
    # threshold 250 it is the small disk (under-painting against the radius-8
    # reference); the default rule would take both grey levels (over-painting).
    grey = gallery.disk(radius=11.0).astype(np.uint8) * 200
    grey[gallery.disk(radius=5.0)] = 255
    candidate = tmp_path / "grey.png"
    Image.fromarray(grey).save(candidate)
    _rewrite_pairs(results, lambda row: {**row, "candidate": str(candidate)})
    summary = json.loads((results / "summary.json").read_text())
    summary["params"]["threshold"] = 250
    (results / "summary.json").write_text(json.dumps(summary))

    drawn = []
    real = report_module.overlay_figure
    monkeypatch.setattr(
        report_module,
        "overlay_figure",
        lambda ref, cand, *a, **k: drawn.append(cand) or real(ref, cand, *a, **k),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ThresholdWarning)
        page = write_report(results, worst_k=1).read_text()

    # Drawn with 250 (no warning repeated): the radius-5 disk, 81 pixels.
    assert len(drawn) == 1
    np.testing.assert_array_equal(drawn[0], gallery.disk(radius=5.0))
    assert "params.threshold" in page and "250" in page


def test_a_pair_without_its_image_is_drawn_on_neutral_ground_and_the_page_says_so(
    tmp_path,
):
    results = write_results(tmp_path / "r", ["a", "b"])
    image = tmp_path / "b.png"
    Image.fromarray(np.full((32, 40), 90, np.uint8)).save(image)

    # As the runner writes it: an empty `image` cell (read back as nan) for the pair
    # whose image was missing, an absolute path for the other.
    _rewrite_pairs(
        results, lambda row: {**row, "image": str(image) if row["name"] == "b" else ""}
    )
    page = write_report(results, worst_k=2).read_text()

    # Both overlays drawn; the page names the image of one, and says the other has none.
    assert page.count('alt="overlay of ') == 2
    assert "Not drawn" not in page
    assert f"image <code>{image}</code>" in page
    assert page.count("no image for this pair: drawn on a neutral background") == 1


def test_an_image_twice_the_masks_size_is_drawn_at_their_size(tmp_path):
    # A 64 x 80 photo of 32 x 40 labels (as CelebAMask-HQ: 1024 px photos, 512 px
    # labels) is drawn under the masks; another aspect ratio is not drawn, said why.
    results = write_results(tmp_path / "r", ["a", "b"])
    double, other = tmp_path / "double.png", tmp_path / "other.png"
    Image.fromarray(np.full((64, 80), 90, np.uint8)).save(double)
    Image.fromarray(np.full((64, 64), 90, np.uint8)).save(other)
    _rewrite_pairs(
        results,
        lambda row: {**row, "image": str(double if row["name"] == "a" else other)},
    )
    page = " ".join(write_report(results, worst_k=2).read_text().split())
    assert page.count('alt="overlay of ') == 1
    assert page.count("Not drawn") == 1 and "aspect" in page


@pytest.mark.parametrize("columns", ["every", "identity"])
def test_a_run_where_every_pair_failed_gives_a_page_that_says_so(tmp_path, columns):
    failed = {"name": "x", "reference": "r.png", "candidate": "c.png", "error": "bad"}
    results = write_results(tmp_path / "r", [], errors=[failed])
    if columns == "identity":
        # A runner may write only the identity columns when no pair was scored.
        (results / "pairs.csv").write_text("name,reference,candidate,height,width\n")
    page = write_report(results).read_text()

    assert "No pair was scored" in page and "1 failed" in page
    assert "Worst" not in page and _images(page) == []
    assert 'id="failed"' in page


# --- headline metrics, the ranking metric, counts, ceiling reach, no pair ----------


def _cells(page: str, table_id: str) -> list[str]:
    """The first-column texts of a server-drawn table of the page."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.DOTALL)
    assert table, f"no table {table_id}"
    return re.findall(r'<tr><td class="text">([^<]+)</td>', table[1])


def _text(page: str) -> str:
    return " ".join(page.split())


def _set_summary(folder: Path, metrics: dict) -> None:
    summary = json.loads((folder / "summary.json").read_text())
    summary["metrics"] = metrics
    (folder / "summary.json").write_text(json.dumps(summary))


def _entry(mean):
    return {"mean": mean, "pooled": None, "n": 5, "n_undefined": 0}


def test_a_preset_summary_shows_its_metrics_region_first(tmp_path):
    # A --preset davis run: pairs.csv holds davis.F, P, R, J (the runner's order)
    # and edge-alignment columns, none of maskqa's default metrics.
    results = write_results(tmp_path / "r", ["a", "b", "c"])
    identity = ["name", "reference", "candidate", "height", "width"]

    def to_davis(row):
        j = float(row["iou"])
        values = {"davis.F": j / 2, "davis.P": j / 3, "davis.R": j / 4, "davis.J": j}
        return {**{k: row[k] for k in identity}, **values, "reference.boundary_px": 9}

    _rewrite_pairs(results, to_davis)
    names = ["davis.F", "davis.P", "davis.R", "davis.J", "reference.boundary_px"]
    _set_summary(results, {k: _entry(0.5) for k in names})
    page = write_report(results, worst_k=1).read_text()

    # Every region and boundary metric of the preset, region first; not one.
    assert _cells(page, "summary-table") == ["davis.J", "davis.F", "davis.P", "davis.R"]
    # The table of pairs shows them too, after the ranking metric (J varies).
    data = re.search(r'id="pairs-data">(.*?)</script>', page, re.DOTALL)[1]
    columns = json.loads(data)["columns"]
    assert columns == ["name", "davis.J", "davis.F", "davis.P", "davis.R"]
    assert "by davis.J (larger is better)" in page


def test_the_default_ranking_metric_is_iou_when_it_varies_and_the_page_says_so(
    results,
):
    page = _text(write_report(results, worst_k=2).read_text())

    assert "The 2 worst pairs by iou (larger is better)" in page
    assert (
        "Pairs ranked by iou, the first headline metric whose values differ between "
        "the pairs (`maskqa report --metric` chooses another)." in page
    )


def test_metrics_with_one_value_for_every_pair_do_not_rank(results):
    # IoU is 0.9 and boundary F at 1 px is 0 for every pair (labels coarser than
    # 1 px): the first headline metric that varies is boundary F at 2 px.
    _rewrite_pairs(results, lambda row: {**row, "iou": 0.9, "boundary_f@1px": 0.0})
    page = _text(write_report(results, worst_k=3).read_text())

    assert "The 3 worst pairs by boundary_f@2px (larger is better)" in page
    assert "(iou, boundary_f@1px have one value for every pair)" in page
    # boundary_f@2px is 1.0, 0.9, ... 0.6 for pair_a..pair_e: the lowest first.
    worst = re.findall(r'<span class="name">([^<]+)</span>', page)
    assert worst == ["pair_e", "pair_d", "pair_c"]


def test_when_no_metric_varies_the_page_says_the_order_means_nothing(results):
    flat = {
        "iou": 0.5,
        "boundary_f@1px": 0.5,
        "boundary_f@2px": 0.5,
        "trimap_iou@3px": 0.5,
        "hd95": 2.0,
    }
    _rewrite_pairs(results, lambda row: {**row, **flat})
    page = _text(write_report(results, worst_k=2).read_text())

    assert (
        "No headline metric differs between the pairs: they are shown in the order "
        "of pairs.csv, with their iou." in page
    )
    worst = re.findall(r'<span class="name">([^<]+)</span>', page)
    assert worst == ["pair_a", "pair_b"]


def test_a_chosen_metric_with_one_value_is_said_to_rank_nothing(results):
    # boundary_f@5px is 1.0 for every pair of the fixture.
    page = _text(write_report(results, worst_k=1, metric="boundary_f@5px").read_text())

    assert "Pairs ranked by boundary_f@5px, as chosen." in page
    assert (
        "Every pair has the same boundary_f@5px: this order does not tell them "
        "apart." in page
    )


@pytest.mark.parametrize(
    ("names", "worst_k", "heading"),
    [
        (["a", "b", "c", "d", "e"], 2, "The 2 worst pairs by iou"),
        (["a", "b", "c", "d"], 12, "The 4 pairs, worst first, by iou"),
        (["a"], 12, "The one pair by iou"),
    ],
)
def test_headings_give_the_real_count_of_pairs(tmp_path, names, worst_k, heading):
    results = write_results(tmp_path / "r", names)
    page = _text(write_report(results, worst_k=worst_k).read_text())

    assert f"<h2>{heading} (larger is better)</h2>" in page
    assert "Worst" not in page


def _ceiling_json(folder: Path, reach: dict) -> None:
    point = {"mean": 0.5, "ci_low": 0.4, "ci_high": 0.6, "confidence": 0.95}
    curve = {"family": "boundary_f", "widths_px": [1, 2, 5], "points": [point] * 3}
    ceiling = {
        "params": {"n_boot": 100},
        "metrics": {},
        "curves": {"boundary_f": curve},
        "tolerance_for_f": reach,
        "sentences": [],
    }
    (folder / "ceiling.json").write_text(json.dumps(ceiling))


def test_the_tolerance_line_says_a_missed_target_once(results):
    # Neither 0.9 nor 0.95 is reached up to 5 px: only the lower one is said.
    _ceiling_json(results, {"0.9": "inf", "0.95": "inf"})
    page = _text(write_report(results, worst_k=1).read_text())

    assert (
        "Tolerance at which the mean boundary F reaches 0.9: not reached up to 5 px."
        in page
    )
    assert "0.95: not reached" not in page

    # Both reached: both tolerances; not measured (nan): no line at all.
    _ceiling_json(results, {"0.9": 2.5, "0.95": 4})
    page = _text(write_report(results, worst_k=1).read_text())
    assert "reaches 0.9: 2.5 px; 0.95: 4 px." in page
    _ceiling_json(results, {"0.9": "nan", "0.95": "nan"})
    assert "Tolerance at which" not in write_report(results, worst_k=1).read_text()


def test_boundary_iou_is_one_band_width_named_a_band_everywhere(results):
    from maskqa.analysis.ceiling import write_ceiling

    # Boundary IoU at 1, 2 and 5 px: 0.1, 0.3, 0.5 for every pair.
    widths = {"boundary_iou@1px": 0.1, "boundary_iou@2px": 0.3, "boundary_iou@5px": 0.5}
    _rewrite_pairs(results, lambda row: {**row, **widths})
    _set_summary(
        results, {"iou": _entry(0.55), **{k: _entry(v) for k, v in widths.items()}}
    )
    write_ceiling(results, n_boot=100)
    page = _text(write_report(results, worst_k=1).read_text())

    # The summary, the ceiling table and the ceiling sentence: the 2 px band.
    assert "boundary_iou@2px" in _cells(page, "summary-table")
    ceiling_rows = [m for m in _cells(page, "ceiling-table") if "boundary_iou" in m]
    assert ceiling_rows == ["boundary_iou@2px"]
    assert "a mean boundary IoU in a 2 px band of 0.300" in page
    # Its curve is against the band width, with the interval of ceiling.json.
    assert (
        'alt="boundary_iou against band width: mean over pairs, 95% bootstrap '
        'interval of the mean (ceiling.json)"' in page
    )
    assert "boundary_iou against tolerance" not in page


def test_no_scored_pair_gives_a_plain_statement_not_empty_tables(tmp_path):
    from maskqa.analysis.ceiling import write_ceiling

    failed = {"name": "a", "reference": "r.png", "candidate": "c.png", "error": "bad"}
    results = write_results(tmp_path / "r", [], errors=[failed])
    (results / "pairs.csv").write_text("name,reference,candidate,height,width\n")
    write_ceiling(results, n_boot=100)
    page = _text(write_report(results).read_text())

    # Said at the top and in the summary; the failures are listed.
    assert page.count("No pair was scored; see errors.csv (1 pair failed).") == 2
    assert 'id="failed"' in page and 'id="errors-table"' in page
    # No empty summary, ceiling, curves or table of pairs.
    for absent in (
        'id="summary-table"',
        'id="pairs-table"',
        "<h2>Accuracy ceiling</h2>",
        "<h2>Curves</h2>",
        "<h2>Every pair</h2>",
        "No summary.json",
        "not reached",
    ):
        assert absent not in page, absent
    assert "none: no pair was scored" in page


def test_the_unpaired_table_says_why_each_file_is_unpaired(tmp_path):
    reason = "ambiguous: a.png and a.jpg share the name a"
    unpaired = [{"side": "reference", "path": "/x/a.png", "reason": reason}]
    results = write_results(tmp_path / "r", ["p"], unpaired=unpaired)
    page = write_report(results, worst_k=1).read_text()
    assert '"columns": ["side", "path", "reason"]' in page and reason in page

"""The HTML report of a results folder: one self-contained page that works offline.

:func:`write_report` reads a folder written by ``maskqa evaluate`` and writes
``report.html``: the summary (and the accuracy ceiling when ``ceiling.json`` is there),
the curves, the worst pairs with their overlays, a paged table of every pair and every
convention and parameter used. The pictures (a handful of figures and one overlay per
worst pair, whatever the number of pairs) are embedded as ``data:`` URIs, or with
``embed=False`` written to ``report_files/`` beside the page; the table's rows are
embedded JSON drawn a page at a time, so the page stays light for 10,000 pairs.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

import numpy as np

from .._json import jsonable
from .._validation import check_positive
from ..analysis._sentences import no_pair_sentence
from ..analysis.ceiling import preset_metrics, width_name, worst_column
from ..errors import InputError
from ..runner.results import (
    HEADLINE_METRICS,
    SUMMARY_JSON,
    WARNINGS_CSV,
    read_csv_rows,
)
from .overlay import overlay_figure
from .plots import (
    _BIN,
    curve_families,
    plot_curve,
    plot_disagreement_by_distance,
    plot_interval_curve,
    plot_score_distribution,
)
from .sheet import contact_sheet, lower_is_better, read_pair, worst_pairs

__all__ = [
    "TABLE_COLUMNS",
    "default_metric",
    "headline_columns",
    "script_json",
    "write_report",
]

#: Columns shown first in the page's summary and table of pairs, when present (every
#: column stays in pairs.csv); a preset's score columns are added by
#: :func:`headline_columns`.
TABLE_COLUMNS = HEADLINE_METRICS

# Families drawn first, in this order; any other NAME@Npx family follows.
_FIRST_CURVES = ("boundary_f", "trimap_iou", "boundary_iou", "nsd")
_DPI = 100


def script_json(data) -> str:
    """JSON text safe inside an HTML ``<script>`` block.

    Parameters
    ----------
    data : object
        Anything :func:`json.dumps` takes; non-finite floats become the strings
        ``"inf"``, ``"-inf"`` and ``"nan"`` (JSON has no such numbers).

    Returns
    -------
    str
        JSON in which ``<``, ``>``, ``&`` and the line separators U+2028 and U+2029
        are written as ``\\u`` escapes, so no value can close the block or start a
        comment in it.

    Raises
    ------
    TypeError
        If ``data`` holds something JSON cannot write.

    Notes
    -----
    The escapes are still valid JSON: ``JSON.parse`` reads back the original text.

    Examples
    --------
    >>> script_json({"name": "</script><b>", "x": float("inf")})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e", "x": "inf"}'
    >>> script_json([])
    '[]'
    """
    text = json.dumps(jsonable(data), ensure_ascii=False, allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def headline_columns(columns) -> list[str]:
    """The headline metrics among ``columns``, in the order the page shows them.

    Parameters
    ----------
    columns : iterable of str
        Score columns of the results.

    Returns
    -------
    list of str
        The :data:`TABLE_COLUMNS` present (maskqa's default report), then a preset's
        score columns: region, boundary, then distance
        (:func:`maskqa.analysis.ceiling.preset_metrics`).

    Examples
    --------
    >>> headline_columns(["dice", "iou", "boundary_f@1px", "over_px_0_1"])
    ['iou', 'dice', 'boundary_f@1px']
    >>> headline_columns(["davis.F", "davis.P", "davis.R", "davis.J"])
    ['davis.J', 'davis.F', 'davis.P', 'davis.R']
    >>> headline_columns([])
    []
    """
    columns = list(columns)
    return [c for c in TABLE_COLUMNS if c in columns] + preset_metrics(columns)


def _varies(values) -> bool:
    # Two different defined values at least: a ranking by this metric says something.
    x = np.asarray(values, float)
    return np.unique(x[~np.isnan(x)]).size > 1


def default_metric(columns, values=None) -> str:
    """The metric the worst pairs are ranked by when none is chosen.

    Parameters
    ----------
    columns : iterable of str
        Score columns of the results.
    values : mapping of str to array_like, optional
        Per-pair values by column; without them no column is known to vary.

    Returns
    -------
    str
        The first of :func:`headline_columns` whose defined values are not all
        equal: region IoU when it varies (a preset's region score), else the next
        one that does (boundary, then distance). When none varies, or without
        ``values``, the first headline column; without headline columns, the first
        column.

    Raises
    ------
    InputError
        If there is no score column.

    Notes
    -----
    A metric with one value for every pair cannot rank them: boundary F at 1 px is
    0 for every pair of labels coarser than 1 px. See ``../shared/refs/PEERS.md``.

    Examples
    --------
    >>> default_metric(["iou", "boundary_f@1px"], {"iou": [0.9, 0.8]})
    'iou'
    >>> default_metric(["iou", "boundary_f@1px"],
    ...                {"iou": [1.0, 1.0], "boundary_f@1px": [0.2, 0.5]})
    'boundary_f@1px'
    >>> default_metric(["davis.F", "davis.J"]), default_metric(["x", "y"])
    ('davis.J', 'x')
    """
    columns = list(columns)
    if not columns:
        raise InputError(
            "Expected the results to hold at least one score column, got none."
        )
    headline = headline_columns(columns) or columns[:1]
    values = values or {}
    for name in headline:
        if name in values and _varies(values[name]):
            return name
    return headline[0]


class _Pictures:
    """Where the page's pictures go: embedded ``data:`` URIs, or files in a folder."""

    def __init__(self, files_dir: Path | None):
        self.files_dir = files_dir

    def save(self, figure, filename: str, caption: str) -> dict:
        width, height = (round(v) for v in figure.get_size_inches() * _DPI)
        if self.files_dir is None:
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=_DPI)
            text = base64.b64encode(buffer.getvalue()).decode("ascii")
            src = f"data:image/png;base64,{text}"
        else:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            figure.savefig(self.files_dir / filename, dpi=_DPI)
            src = f"{quote(self.files_dir.name)}/{quote(filename)}"
        return {"src": src, "caption": caption, "width": width, "height": height}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "figure"


def _curve(rows, family, ceiling):
    # The ceiling analysis's bootstrap interval of the mean when there is one; else
    # the spread of the pairs, read from the rows.
    curve = (
        (ceiling.get("curves") or {}).get(family)
        if isinstance(ceiling, Mapping)
        else None
    )
    if curve and curve.get("points"):
        points = curve["points"]
        confidence = float(points[0].get("confidence", 0.95))
        stat = {
            k: [float(p.get(k, math.nan)) for p in points]
            for k in ("mean", "ci_low", "ci_high")
        }
        drawn = plot_interval_curve(
            curve["widths_px"],
            stat["mean"],
            stat["ci_low"],
            stat["ci_high"],
            name=family,
            label=f"{family} (mean of pairs)",
            band_label=f"{confidence:.0%} bootstrap interval of the mean",
        )
        return drawn, f"{confidence:.0%} bootstrap interval of the mean (ceiling.json)"
    return plot_curve(rows, family), _SPREAD_BAND


# The band of a curve drawn from the rows (plot_curve's default interval).
_SPREAD_BAND = "band where the middle 80 % of pairs lie (10 % to 90 % quantiles)"


def _curve_figures(results, ceiling, sink):
    # Every NAME@Npx family with two widths or more; the headline families are
    # shown, the others are one click away. The band drawn is named per family.
    rows, families = results.rows, curve_families(results.metric_columns)
    order = [f for f in _FIRST_CURVES if f in families]
    order += sorted(f for f in families if f not in order)
    shown, more, bands = [], [], {}
    for family in order:
        if len(families[family]) < 2 or not rows:
            continue
        drawn, bands[family] = _curve(rows, family, ceiling)
        caption = (
            f"{family} against {width_name(family)}: mean over pairs, {bands[family]}"
        )
        name = f"curve_{_slug(family)}.png"
        picture = sink.save(drawn.ax.figure, name, caption)
        (shown if family in _FIRST_CURVES else more).append(picture)
    return shown, more, bands


def _band_setting(bands) -> str:
    # One band for every curve said once; else each family with its own.
    if not bands:
        return "none: no curve drawn"
    if len(set(bands.values())) == 1:
        return next(iter(bands.values()))
    return "; ".join(f"{family}: {band}" for family, band in bands.items())


def _count_figures(results, metric, sink):
    # Disagreement by distance (summed counts over the pairs) and the distribution
    # of the ranking metric.
    rows, figures, notes = results.rows, [], []
    bins = [c for c in results.metric_columns if _BIN.match(c)]
    if bins and rows:
        totals = {c: float(np.nansum(results.values(c))) for c in bins}
        drawn = plot_disagreement_by_distance(
            totals, title=f"summed over {len(rows)} pairs"
        )
        caption = "disagreeing pixels by distance to the reference boundary"
        name = "disagreement_by_distance.png"
        figures.append(sink.save(drawn.ax.figure, name, caption))
    else:
        notes.append(
            "No disagreement-by-distance columns (over_px_*, under_px_*) in "
            "pairs.csv: that plot is left out."
        )
    if rows:
        drawn = plot_score_distribution(results.values(metric), metric=metric)
        caption = f"distribution of per-pair {metric}"
        figures.append(sink.save(drawn.ax.figure, "distribution.png", caption))
    return figures, notes


def _pictures(results, metric, worst_k, ceiling, sink, reader) -> dict:
    shown, more, bands = _curve_figures(results, ceiling, sink)
    counts, notes = _count_figures(results, metric, sink)
    sheet = None
    if results.rows:
        made = contact_sheet(results.rows, metric, k=worst_k, read=reader)
        caption = f"contact sheet of the worst pairs by {metric}"
        sheet = sink.save(made.ax, "worst_sheet.png", caption)
    return {
        "figures": shown + counts,
        "more_figures": more,
        "figure_notes": notes,
        "sheet": sheet,
        "curve_band": _band_setting(bands),
    }


def _value_text(value) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    return f"{value:.4g}" if not value.is_integer() else str(int(value))


def _image_path(row, images):
    # A pair whose image was missing has an empty `image` cell (read back as nan):
    # it has no image, and is drawn on the neutral background.
    value = row.get("image")
    if isinstance(value, float) and math.isnan(value):
        value = None
    if value is None or not str(value).strip():
        value = images.get(str(row.get("name", "")))
    return None if value is None or not str(value).strip() else str(value)


def _worst(results, metric, worst_k, images, band_px, sink, reader):
    from ..io import read_image
    from ..metrics.alignment import match_size

    shown = worst_pairs(results.rows, metric, worst_k)
    pairs = []
    for index, row in enumerate(shown, start=1):
        name = str(row.get("name", ""))
        image_path = _image_path(row, images)
        pair = {
            "name": name,
            "value": _value_text(row.get(metric)),
            "reference": row.get("reference", ""),
            "candidate": row.get("candidate", ""),
            "image": image_path or "",
        }
        try:
            reference, candidate = reader(row)
            image = None if image_path is None else read_image(image_path)
            if image is not None and image.shape[:2] != reference.shape:
                # An image of another size (a 1024 px photo of 512 px labels) is
                # drawn at the masks' size; another aspect ratio is an error.
                image, _ = match_size(image, reference, "mask")
            made = overlay_figure(
                reference,
                candidate,
                image,
                band_px=band_px,
                title=f"{index}. {name}: {metric} = {pair['value']}",
            )
            pair.update(sink.save(made.figure, f"worst_{index:03d}.png", ""))
        except (InputError, OSError) as exc:
            pair["error"] = str(exc)
        pairs.append(pair)
    return pairs


_CEILING_FIELDS = (
    "mean",
    "ci_low",
    "ci_high",
    "median",
    "pooled",
    "n",
    "n_undefined",
)


def _ceiling_row(key, entry, worst) -> dict:
    row = {"metric": key, **{k: _value_text(entry.get(k)) for k in _CEILING_FIELDS}}
    row["worst"] = _value_text(worst)
    # nan pooled means the metric has no pooled form: a blank, as in the summary.
    if row["pooled"] == "nan":
        row["pooled"] = ""
    return row


def _reach(ceiling) -> list[tuple[str, str]]:
    # The tolerance at which the mean boundary F reaches each target: nan means no
    # boundary F curve was measured (nothing to say); inf means not reached within
    # the widths measured, said once, for the lowest target missed (the higher
    # ones are then missed too).
    curve = (ceiling.get("curves") or {}).get("boundary_f") or {}
    widths = [float(w) for w in curve.get("widths_px") or []]
    reach = []
    for target, tolerance in (ceiling.get("tolerance_for_f") or {}).items():
        text = _value_text(tolerance)
        if text == "nan" or not widths:
            continue
        target = f"{float(target):g}"
        if text == "inf":
            reach.append((target, f"not reached up to {max(widths):g} px"))
            break
        reach.append((target, f"{text} px"))
    return reach


def _ceiling(ceiling, headline) -> dict | None:
    # ceiling.json as written by `maskqa ceiling` (maskqa.analysis.ceiling); fields
    # missing from an older or newer file are shown as blanks, never an error.
    if not isinstance(ceiling, Mapping) or not ceiling:
        return None
    metrics = {
        key: entry
        for key, entry in (ceiling.get("metrics") or {}).items()
        if isinstance(entry, Mapping)
    }
    worst_header, worst = worst_column(metrics)
    rows = [_ceiling_row(key, entry, worst[key]) for key, entry in metrics.items()]
    by_name = {r["metric"]: r for r in rows}
    return {
        "sentences": [str(s) for s in ceiling.get("sentences") or []],
        "rows": [by_name[k] for k in headline if k in by_name] or rows,
        "all_rows": rows,
        "worst_header": worst_header,
        "reach": _reach(ceiling),
        "params": _flatten(ceiling.get("params") or {}),
    }


def _flatten(data, prefix="") -> list[tuple[str, str]]:
    items = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            items.extend(_flatten(value, f"{name}."))
        else:
            text = value if isinstance(value, str) else json.dumps(jsonable(value))
            items.append((name, text))
    return items


def _table(rows, columns) -> dict:
    return {
        "columns": list(columns),
        "rows": [[jsonable(row.get(c)) for c in columns] for row in rows],
    }


def _settings(results, metric, worst_k, band_px, images_dir, curve_band):
    summary = results.summary
    direction = "smaller is better" if lower_is_better(metric) else "larger is better"
    settings = [
        ("orientation", "reference = fine mask, candidate = coarse mask"),
        (
            "report.worst_pairs_by",
            f"{metric} ({direction}); undefined values ranked last"
            if metric
            else "none: no pair was scored",
        ),
        ("report.worst_k", str(worst_k)),
        ("report.trimap_band_drawn_px", "none" if band_px is None else f"{band_px:g}"),
        ("report.images_dir", "none" if images_dir is None else str(images_dir)),
        ("report.curve_band", curve_band),
        (
            "report.overlay_colours",
            "agreement grey-blue, over-painted orange, "
            "under-painted blue, reference boundary black, candidate boundary green, "
            "band edges purple (Okabe-Ito)",
        ),
    ]
    settings += _flatten({"params": summary.get("params", {})})
    for key in ("maskqa_version", "n_pairs"):
        if key in summary:
            settings.append((key, str(summary[key])))
    return settings


def _headline(results, metric) -> list[str]:
    # The headline metrics, then the ranking metric when it is not one of them.
    headline = headline_columns(results.metric_columns)
    return headline + ([metric] if metric and metric not in headline else [])


def _summary(results, metric, ceiling) -> dict:
    # The headline metrics first, in their order; every metric one click away.
    rows = [
        {
            "metric": key,
            "mean": _value_text(entry.get("mean")),
            "pooled": _value_text(entry.get("pooled")),
            "n": entry.get("n", ""),
            "n_undefined": entry.get("n_undefined", ""),
        }
        for key, entry in results.summary.get("metrics", {}).items()
    ]
    by_name = {r["metric"]: r for r in rows}
    headline = _headline(results, metric)
    return {
        "summary_rows": [by_name[k] for k in headline if k in by_name] or rows,
        "summary_all": rows,
        "ceiling": _ceiling(ceiling, headline),
    }


def _tables(results, metric) -> dict:
    shown = ["name"] + ([metric] if metric else [])
    shown += [c for c in _headline(results, metric) if c != metric]
    errors = ["name", "error", "reference", "candidate"]
    return {
        "pairs_json": script_json(_table(results.rows, shown)),
        "errors_json": script_json(_table(results.errors, errors)),
        "unpaired_json": script_json(
            _table(results.unpaired, ["side", "path", "reason"])
        ),
    }


def _images(results, images_dir) -> dict:
    if images_dir is None:
        return {}
    from ..io import pair_images

    names = [str(r.get("name", "")) for r in results.rows]
    return pair_images(names, images_dir).images


def _read_options(summary) -> dict:
    # The masks are drawn as they were scored: with the threshold (or label) of the
    # run, recorded in summary.json's params; None keeps the binarisation rule.
    params = summary.get("params") or {}
    options = {}
    for key in ("threshold", "label"):
        value = params.get(key)
        if isinstance(value, list):
            value = tuple(value)
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            options[key] = value
    return options


def _context(results, metric, chosen, worst_k, band_px, images_dir, sink, page_size):
    from .. import __version__

    ceiling_path = results.directory / "ceiling.json"
    ceiling = json.loads(ceiling_path.read_text()) if ceiling_path.is_file() else {}
    images = _images(results, images_dir)
    options = _read_options(results.summary)

    def reader(row):
        return read_pair(row, **options)

    direction = "smaller" if lower_is_better(metric) else "larger"
    counts = {
        "n_scored": len(results.rows),
        "n_failed": len(results.errors),
        "n_unpaired": len(results.unpaired),
        "n_warnings": len(read_csv_rows(results.directory / WARNINGS_CSV)[1]),
        # The runner writes summary.json last: without it the run did not finish.
        "finished": (results.directory / SUMMARY_JSON).is_file(),
    }
    pictures = _pictures(results, metric, worst_k, ceiling, sink, reader)
    settings = _settings(
        results, metric, worst_k, band_px, images_dir, pictures["curve_band"]
    )
    return {
        "title": results.directory.name,
        "results_dir": str(results.directory),
        "version": __version__,
        "files_dir_name": "" if sink.files_dir is None else sink.files_dir.name,
        "counts": counts,
        "no_pair": no_pair_sentence(counts["n_failed"], counts["n_unpaired"]),
        **_summary(results, metric, ceiling),
        **pictures,
        "metric": metric,
        "direction": f"{direction} is better",
        "ranking_note": _ranking_note(results, metric, chosen),
        "worst": _worst(results, metric, worst_k, images, band_px, sink, reader),
        **_tables(results, metric),
        "params": settings,
        "page_size": int(page_size),
    }


def _ranking_metric(results, metric) -> str:
    # With no scored pair there is nothing to rank: the page says so instead of
    # failing on a missing column.
    if not results.rows:
        return metric or ""
    if metric is None:
        headline = headline_columns(results.metric_columns)
        values = {c: results.values(c) for c in headline}
        return default_metric(results.metric_columns, values)
    if metric not in results.metric_columns:
        shown = ", ".join(headline_columns(results.metric_columns)[:6])
        raise InputError(
            f"Expected `metric` (--metric) to be a metric column of pairs.csv (such "
            f"as {shown}), got {metric!r}.",
            results.directory,
        )
    return metric


def _ranking_note(results, metric, chosen) -> str:
    # Which metric ranks the pairs and why; a metric with one value for every pair
    # ranks nothing, and the page says so.
    if not results.rows:
        return ""
    varies = _varies(results.values(metric))
    if chosen:
        note = f"Pairs ranked by {metric}, as chosen."
        if not varies:
            note += (
                f" Every pair has the same {metric}: this order does not tell them "
                "apart."
            )
        return note
    if not varies:
        return (
            "No headline metric differs between the pairs: they are shown in the "
            f"order of pairs.csv, with their {metric}."
        )
    headline = headline_columns(results.metric_columns)
    flat = headline[: headline.index(metric)] if metric in headline else []
    note = (
        f"Pairs ranked by {metric}, the first headline metric whose values differ "
        "between the pairs"
    )
    if flat:
        verb = "has" if len(flat) == 1 else "have"
        note += f" ({', '.join(flat)} {verb} one value for every pair)"
    return note + " (`maskqa report --metric` chooses another)."


def write_report(
    results_dir,
    *,
    out=None,
    worst_k=12,
    metric=None,
    images_dir=None,
    band_px=None,
    page_size=50,
    embed=True,
) -> Path:
    """Write the HTML report of a results folder; return the page's path.

    Parameters
    ----------
    results_dir : str or Path
        A folder written by ``maskqa evaluate`` (``pairs.csv``, ``summary.json``, ...).
    out : str or Path, optional
        The page to write; ``RESULTS_DIR/report.html`` by default.
    worst_k : int, default 12
        How many of the worst pairs to show with their overlays.
    metric : str, optional
        The column the worst pairs are ranked by; when None, the first headline
        metric whose values differ between the pairs (:func:`default_metric`).
    images_dir : str or Path, optional
        Folder of the images, matched to pairs by name, drawn under the overlays
        (used for pairs whose ``image`` cell in pairs.csv is empty).
    band_px : float, optional
        Draw the edges of the trimap band of this width on the overlays.
    page_size : int, default 50
        Rows per page of the table of pairs.
    embed : bool, default True
        Embed the pictures in the page as ``data:`` URIs (one file to share); when
        False they are written to a folder beside the page named after it
        (``report_files/``), which must stay beside it.

    Returns
    -------
    pathlib.Path
        The page written.

    Raises
    ------
    InputError
        If the folder holds no ``pairs.csv``, ``metric`` is not one of its columns, or
        an option is not positive.

    Notes
    -----
    Everything shown is escaped (file names, pair names, error messages), the page
    loads nothing from the network, and its size grows with the number of pairs only
    through the embedded table rows: there are ``worst_k`` overlays and a handful of
    figures whatever the number of pairs. Masks are read with the ``threshold`` (or
    ``label``) recorded in summary.json's params, as they were scored; their
    binarisation warnings were given while scoring and are not repeated. A pair
    without an image is drawn on a neutral background and the page says so. A
    folder where no pair was scored gives a page that says so and points to
    ``errors.csv``, with no empty table or plot. The summary shows the headline
    metrics (:func:`headline_columns`: a preset's score columns with a preset), and
    the page names the metric that ranks the worst pairs and why; a metric with one
    value for every pair ranks nothing, and the page says that too.

    Examples
    --------
    >>> write_report("no/such/folder")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    maskqa.errors.InputError: no/such/folder: Expected a results folder ...
    """
    from jinja2 import Environment

    from ..runner import read_results
    from ._template import TEMPLATE

    results = read_results(results_dir)
    worst_k = int(check_positive(worst_k, "worst_k"))
    page_size = int(check_positive(page_size, "page_size"))
    chosen = metric is not None
    metric = _ranking_metric(results, metric)
    out = Path(out) if out is not None else results.directory / "report.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    sink = _Pictures(None if embed else out.parent / f"{out.stem}_files")

    context = _context(
        results, metric, chosen, worst_k, band_px, images_dir, sink, page_size
    )
    page = Environment(autoescape=True).from_string(TEMPLATE).render(**context)
    out.write_text(page, encoding="utf-8")
    return out

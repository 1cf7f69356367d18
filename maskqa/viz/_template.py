"""The HTML page of ``maskqa report``: one jinja2 template, CSS and JS inline.

Kept as a Python string so that it ships inside the package without data-file rules.
Everything shown passes through jinja2's autoescape; the tables' rows come from JSON
embedded in ``<script type="application/json">`` blocks (escaped for that context by
the caller) and are written into the page with ``textContent``, never as HTML.
"""

from __future__ import annotations

__all__ = ["TEMPLATE"]

TEMPLATE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; img-src 'self' file: data:;
 style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>maskqa report: {{ title }}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px;
       padding: 0 16px 48px; color: #1b1b1b; }
h1 { font-size: 22px; margin: 20px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid #d5d5d5; padding: 2px 8px; text-align: right; }
th { background: #f1f3f5; cursor: default; }
th.sortable { cursor: pointer; }
td.text, th.text { text-align: left; min-width: 12em; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; max-width: 100%; }
.scroll table { font-size: 13px; }
.muted { color: #555; }
.notice { background: #fff3cd; border: 1px solid #e6c66e; padding: 6px 10px; }
.figures img { max-width: 100%; height: auto; border: 1px solid #ddd; margin: 4px 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr));
           gap: 12px; }
.pair { margin: 18px 0; }
.pair img { max-width: 100%; height: auto; border: 1px solid #ddd; }
.controls { margin: 6px 0; }
.controls button { margin-right: 4px; }
code { background: #f1f3f5; padding: 0 3px; }
</style>
</head>
{% macro picture(item) -%}
<figure><img src="{{ item.src }}" alt="{{ item.caption }}"
 width="{{ item.width }}" height="{{ item.height }}">
<figcaption>{{ item.caption }}</figcaption></figure>
{%- endmacro %}
{% macro pager(prefix, what, rows_json) -%}
<div class="controls"><label>{{ what }} contains
<input id="{{ prefix }}-filter" type="search"></label>
<button id="{{ prefix }}-prev" type="button">previous</button>
<button id="{{ prefix }}-next" type="button">next</button>
<span id="{{ prefix }}-page"></span></div>
<div class="scroll">
<table id="{{ prefix }}-table"><thead></thead><tbody></tbody></table></div>
<script type="application/json" id="{{ prefix }}-data">{{ rows_json|safe }}</script>
{%- endmacro %}
<body data-images-total="" data-images-broken="">
<h1>maskqa report</h1>
<p class="muted">Results folder <code>{{ results_dir }}</code> ·
maskqa {{ version }}</p>
<p id="image-notice" class="notice" hidden></p>
{% if files_dir_name %}<p class="muted">The pictures of this page are files in the
folder <code>{{ files_dir_name }}</code>: keep it beside this page when you copy
it.</p>{% endif %}
{% if not counts.n_scored %}<p class="notice" id="no-pair">{{ no_pair }} There are
no scores, curves or overlays to show.{% if counts.n_failed %} The reasons are listed
under <a href="#failed">Pairs that could not be scored</a>.{% endif %}</p>{% endif %}

<h2>Summary</h2>
{% if not counts.finished %}<p class="notice" id="unfinished">The run did not finish:
the results folder has no summary.json (the run was interrupted, or is still going).
This page shows the pairs scored so far; pairs not yet scored are not counted.
<code>maskqa evaluate ... --resume</code> continues the run.</p>{% endif %}
<p>{{ counts.n_scored }} pairs scored, {{ counts.n_failed }} failed,
{{ counts.n_unpaired }} files unpaired. Reference = fine masks, candidate = coarse
masks: every score says how far the candidate labels are from the reference, an
accuracy ceiling for any model trained or tested on the candidates.</p>
{% if counts.n_warnings %}<p id="warnings-note">{{ counts.n_warnings }}
warning{% if counts.n_warnings != 1 %}s{% endif %} while scoring (thresholds guessed,
alignment without a profile peak, ...): each is in <code>warnings.csv</code>.</p>
{% endif %}
{% macro summary_table(id, rows) -%}
<table id="{{ id }}">
<thead><tr><th class="text">metric</th><th>mean of pairs</th><th>pooled</th>
<th>pairs</th><th>undefined</th></tr></thead>
<tbody>
{% for row in rows -%}
<tr><td class="text">{{ row.metric }}</td><td>{{ row.mean }}</td>
<td>{{ row.pooled }}</td><td>{{ row.n }}</td><td>{{ row.n_undefined }}</td></tr>
{% endfor %}</tbody></table>
{%- endmacro %}
{% if not counts.n_scored %}<p>{{ no_pair }}</p>
{% elif summary_rows %}
{{ summary_table("summary-table", summary_rows) }}
{% if summary_all|length > summary_rows|length %}
<details><summary>every metric ({{ summary_all|length }})</summary>
{{ summary_table("summary-all-table", summary_all) }}
</details>{% endif %}
<p class="muted">Mean of pairs: the average of per-pair scores over the pairs where the
metric is defined. Pooled: one score from the pixel counts summed over all pairs
(blank where a metric has no pooled form).</p>
{% else %}<p>No summary.json in the results folder.</p>{% endif %}

{% if not counts.n_scored %}
{% elif ceiling %}
<h2>Accuracy ceiling</h2>
{% for sentence in ceiling.sentences %}<p>{{ sentence }}</p>
{% endfor %}
{% if ceiling.reach %}<p>Tolerance at which the mean boundary F reaches
{% for target, tolerance in ceiling.reach -%}
{{ target }}: {{ tolerance }}{% if not loop.last %}; {% endif %}
{%- endfor %}.</p>{% endif %}
{% macro ceiling_table(id, rows, worst_header) -%}
<table id="{{ id }}">
<thead><tr><th class="text">metric</th><th>mean</th><th>interval low</th>
<th>interval high</th><th>median</th><th>{{ worst_header }}</th><th>pooled</th>
<th>pairs</th><th>undefined</th></tr></thead>
<tbody>
{% for row in rows -%}
<tr><td class="text">{{ row.metric }}</td><td>{{ row.mean }}</td>
<td>{{ row.ci_low }}</td><td>{{ row.ci_high }}</td><td>{{ row.median }}</td>
<td>{{ row.worst }}</td><td>{{ row.pooled }}</td><td>{{ row.n }}</td>
<td>{{ row.n_undefined }}</td></tr>
{% endfor %}</tbody></table>
{%- endmacro %}
{% if ceiling.rows %}
{{ ceiling_table("ceiling-table", ceiling.rows, ceiling.worst_header) }}
{% if ceiling.all_rows|length > ceiling.rows|length %}
<details><summary>every metric ({{ ceiling.all_rows|length }})</summary>
{{ ceiling_table("ceiling-all-table", ceiling.all_rows, ceiling.worst_header) }}
</details>{% endif %}{% endif %}
<p class="muted">{% for key, value in ceiling.params -%}
{{ key }} = {{ value }}{% if not loop.last %}, {% endif %}
{%- endfor %}</p>
{% else %}<p class="muted">No ceiling.json in the results folder (written by
<code>maskqa ceiling</code>): intervals of the mean are not shown.</p>
{% endif %}

{% if counts.n_scored %}
<h2>Curves</h2>
{% if figures %}<div class="figures">
{% for figure in figures %}{{ picture(figure) }}
{% endfor %}</div>
{% if more_figures %}<details><summary>more curves ({{ more_figures|length }})</summary>
<div class="figures">{% for figure in more_figures %}{{ picture(figure) }}
{% endfor %}</div></details>{% endif %}
{% else %}<p>No curve could be drawn: the results hold no
NAME@Npx columns and no per-pair scores.</p>{% endif %}
{% for note in figure_notes %}<p class="muted">{{ note }}</p>
{% endfor %}
{% endif %}

{% if counts.n_scored %}
<h2>{% if worst|length < counts.n_scored %}The {{ worst|length }} worst pairs
{%- elif worst|length == 1 %}The one pair{% else %}The {{ worst|length }} pairs, worst
first,{% endif %} by {{ metric }} ({{ direction }})</h2>
<p id="ranking">{{ ranking_note }}</p>
{% if sheet %}<div class="figures">{{ picture(sheet) }}</div>{% endif %}
{% for pair in worst %}<div class="pair" id="worst-{{ loop.index }}">
<h3>{{ loop.index }}. <span class="name">{{ pair.name }}</span>:
{{ metric }} = {{ pair.value }}</h3>
<p class="muted">reference <code>{{ pair.reference }}</code><br>
candidate <code>{{ pair.candidate }}</code>
{% if pair.image %}<br>image <code>{{ pair.image }}</code>
{%- else %}<br>no image for this pair: drawn on a neutral background{% endif %}</p>
{% if pair.src %}<img src="{{ pair.src }}" alt="overlay of {{ pair.name }}"
 width="{{ pair.width }}" height="{{ pair.height }}">
{% else %}<p class="notice">Not drawn: {{ pair.error }}</p>{% endif %}
</div>
{% endfor %}
{% endif %}

{% if counts.n_scored %}<h2>Every pair</h2>
<p class="muted">{{ counts.n_scored }} rows; the columns shown are a selection, every
column is in <code>pairs.csv</code>. Click a column to sort.</p>
{{ pager("pairs", "name", pairs_json) }}
{% endif %}

{% if counts.n_failed %}<h2 id="failed">Pairs that could not be scored</h2>
{{ pager("errors", "name", errors_json) }}
{% endif %}

{% if counts.n_unpaired %}<h2>Unpaired files</h2>
{{ pager("unpaired", "path", unpaired_json) }}
{% endif %}

<h2>Conventions and parameters</h2>
<table id="params-table"><tbody>
{% for key, value in params -%}
<tr><td class="text">{{ key }}</td><td class="text">{{ value }}</td></tr>
{% endfor %}</tbody></table>

<script>
"use strict";
(function () {
  var PAGE = {{ page_size }};

  function number(value) {
    if (value === "inf") { return Infinity; }
    if (value === "-inf") { return -Infinity; }
    if (typeof value === "number") { return value; }
    return NaN;
  }

  function show(value) {
    if (typeof value === "number") {
      return Number.isInteger(value) ? String(value) : value.toPrecision(4);
    }
    return value === null || value === undefined ? "" : String(value);
  }

  function pager(prefix, filterKey) {
    var source = document.getElementById(prefix + "-data");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var columns = data.columns, rows = data.rows, shown = rows, page = 0;
    var sortColumn = -1, sortUp = true;
    var table = document.getElementById(prefix + "-table");
    var filter = document.getElementById(prefix + "-filter");
    var label = document.getElementById(prefix + "-page");
    var head = document.createElement("tr");
    columns.forEach(function (name, index) {
      var th = document.createElement("th");
      th.textContent = name;
      th.className = "sortable" + (index === 0 ? " text" : "");
      th.addEventListener("click", function () {
        sortUp = sortColumn === index ? !sortUp : true;
        sortColumn = index;
        sort();
        draw();
      });
      head.appendChild(th);
    });
    table.tHead.appendChild(head);

    function key(row) {
      var value = row[sortColumn];
      var n = number(value);
      if (!isNaN(n)) { return n; }
      return typeof value === "string" && value !== "nan" ? value : null;
    }

    function sort() {
      shown = shown.slice().sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === null) { return y === null ? 0 : 1; }
        if (y === null) { return -1; }
        var order = x < y ? -1 : (x > y ? 1 : 0);
        return sortUp ? order : -order;
      });
    }

    function draw() {
      var body = table.tBodies[0];
      body.textContent = "";
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      page = Math.min(Math.max(page, 0), pages - 1);
      shown.slice(page * PAGE, (page + 1) * PAGE).forEach(function (row) {
        var tr = document.createElement("tr");
        row.forEach(function (value, index) {
          var td = document.createElement("td");
          td.textContent = show(value);
          if (index === 0 || typeof value === "string" && isNaN(number(value))) {
            td.className = "text";
          }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      label.textContent = "page " + (page + 1) + " of " + pages + " (" + shown.length +
        " of " + rows.length + " rows)";
    }

    filter.addEventListener("input", function () {
      var needle = filter.value.toLowerCase();
      shown = rows.filter(function (row) {
        return String(row[filterKey]).toLowerCase().indexOf(needle) !== -1;
      });
      if (sortColumn >= 0) { sort(); }
      page = 0;
      draw();
    });
    document.getElementById(prefix + "-prev").addEventListener("click", function () {
      page -= 1; draw();
    });
    document.getElementById(prefix + "-next").addEventListener("click", function () {
      page += 1; draw();
    });
    draw();
  }

  pager("pairs", 0);
  pager("errors", 0);
  pager("unpaired", 1);

  // Pictures are embedded, or live in a folder beside the page: say so on the
  // page when one is missing (e.g. the page was copied without its folder).
  window.addEventListener("load", function () {
    var images = Array.prototype.slice.call(document.images);
    var broken = images.filter(function (img) {
      return !img.complete || img.naturalWidth === 0;
    });
    document.body.setAttribute("data-images-total", String(images.length));
    document.body.setAttribute("data-images-broken", String(broken.length));
    if (broken.length) {
      var notice = document.getElementById("image-notice");
      var folder = {{ files_dir_name|tojson }};
      notice.textContent = broken.length + " of " + images.length +
        " pictures did not load" +
        (folder ? ": keep the folder " + folder + " beside this page." : ".");
      notice.hidden = false;
    }
  });
})();
</script>
</body>
</html>
"""

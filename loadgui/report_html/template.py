"""The report's Jinja2 template: one HTML file, its style inline, no script, no URL."""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
:root { --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #ffffff; --panel: #f8fafc; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--fg); background: var(--bg); }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px;
     border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 18px 0 6px; }
.sub { color: var(--muted); margin: 0 0 4px; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 12px;
         font-weight: 600; vertical-align: middle; background: #e5e7eb; }
.completed, .better, .pass { background: #dcfce7; color: #166534; }
.stopped, .mixed { background: #fef3c7; color: #92400e; }
.failed, .interrupted, .worse, .fail { background: #fee2e2; color: #991b1b; }
.same, .n\\/a { background: #f1f5f9; color: #475569; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; margin: 16px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
        padding: 10px 12px; }
.card .v { font-size: 20px; font-weight: 650; }
.card .l { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: right; }
th { background: var(--panel); font-weight: 600; color: #374151; }
th:first-child, td:first-child, .text { text-align: left; }
td.text { max-width: 520px; overflow-wrap: anywhere; }
.kv td:first-child { color: var(--muted); width: 220px; }
.kv td { text-align: left; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.notice { border: 1px solid #f59e0b; background: #fef3c7; border-radius: 6px;
          padding: 8px 12px; margin: 12px 0; }
.reason { border-left: 4px solid #ef4444; background: #fef2f2; padding: 8px 12px; margin: 10px 0; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px;
      overflow: auto; font-size: 12px; max-height: 420px; }
svg.chart { width: 100%; height: auto; display: block; margin: 6px 0 14px; font-size: 11px; }
svg.chart text { fill: #374151; }
svg.chart text.title { font-size: 13px; font-weight: 600; }
svg.chart text.muted { fill: var(--muted); }
svg.chart rect.plot { fill: none; stroke: #d1d5db; }
svg.chart line.grid { stroke: #eef0f3; }
footer { color: var(--muted); margin-top: 36px; font-size: 12px; }
</style>
</head>
<body><main>
<h1>{{ title }} <span class="badge {{ report.state }}">{{ run.status }}</span></h1>
<p class="sub">{{ run.target }} · started {{ started }} · ended {{ ended }}
  · from {{ run.source }}</p>
{% if report.reason %}<div class="reason">{{ report.reason }}</div>{% endif %}
{% for problem in problems %}<div class="notice">{{ problem }}</div>{% endfor %}

<div class="cards">
{% for value, label in cards %}
  <div class="card"><div class="v">{{ value }}</div><div class="l">{{ label }}</div></div>
{% endfor %}
</div>

{% if thresholds %}
<h2 id="thresholds">Thresholds <span class="badge {{ thresholds.verdict }}">{{ thresholds.passed }}
  of {{ thresholds.rows|length }} passed</span></h2>
<table><tr><th class="text">threshold</th><th>result</th><th>value</th>
  <th class="text">detail</th></tr>
{% for row in thresholds.rows %}
  <tr><td class="text">{{ row.expression }}</td>
    <td><span class="badge {{ row.verdict }}">{{ row.verdict }}</span></td>
    <td>{{ row.value }}</td><td class="text">{{ row.detail }}</td></tr>
{% endfor %}
</table>
{% endif %}

{% if checks %}
<h2 id="checks">Checks</h2>
<table><tr><th class="text">request</th><th class="text">check</th><th>passes</th>
  <th>fails</th><th>pass %</th><th>result</th></tr>
{% for row in checks %}
  <tr><td class="text">{{ row.request }}</td><td class="text">{{ row.name }}</td>
    <td>{{ row.passes }}</td><td>{{ row.fails }}</td><td>{{ row.rate }}</td>
    <td><span class="badge {{ row.verdict }}">{{ row.verdict }}</span></td></tr>
{% endfor %}
</table>
{% endif %}

{% if comparison %}
<h2>Comparison <span class="badge {{ comparison.verdict }}">{{ comparison.verdict }}</span></h2>
<p class="sub">B, this run, against A: run {{ comparison.a.id }} ({{ comparison.a.name }},
  {{ comparison.a_started }}). Changes within {{ comparison.noise }} count as the same.</p>
<table><tr><th>overall</th><th>A</th><th>B</th><th>change</th><th>verdict</th></tr>
{% for row in comparison.overall %}
  <tr><td>{{ row.label }}</td><td>{{ row.a }}</td><td>{{ row.b }}</td><td>{{ row.change }}</td>
    <td><span class="badge {{ row.verdict }}">{{ row.verdict }}</span></td></tr>
{% endfor %}
</table>
{% for group in comparison.groups %}
<h3>Per {{ group.title }}: B and its change from A</h3>
<table><tr><th>{{ group.title }}</th>
  {% for h in comparison.headers %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in group.rows %}
  <tr><td class="text">{{ row.name }}</td>
  {% if row.only %}<td colspan="{{ comparison.headers|length }}" class="text">only in run
    {{ row.only }}</td>
  {% else %}{% for c in row.cells %}
    <td>{{ c.b }}<br><span class="badge {{ c.verdict }}">{{ c.change }}</span></td>
  {% endfor %}{% endif %}</tr>
{% endfor %}
</table>
{% endfor %}
<h3>Profiles</h3>
{% if comparison.profile_changes %}<table><tr><th>what differs (A → B)</th></tr>
{% for change in comparison.profile_changes %}
  <tr><td class="text">{{ change }}</td></tr>
{% endfor %}
</table>
{% else %}<p class="sub">Both runs used the same profile.</p>{% endif %}
{% for chart in comparison.charts %}{{ chart }}{% endfor %}
{% endif %}

<h2>Summary</h2>
<div class="two">
<table class="kv">
{% for label, value in summary %}<tr><td>{{ label }}</td><td>{{ value }}</td></tr>{% endfor %}
</table>
<table><tr><th>latency of successes</th><th>ms</th></tr>
{% for label, value in latency %}<tr><td>{{ label }}</td><td>{{ value }}</td></tr>{% endfor %}
</table>
</div>

<h2>Charts</h2>
{% for chart in charts %}{{ chart }}{% endfor %}

{% for table in breakdowns %}
<h2>Per {{ table.title }}</h2>
<table><tr><th>{{ table.title }}</th><th>requests</th><th>req/s</th><th>errors</th>
  <th>p50 ms</th><th>p90 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>
{% for row in table.rows %}
  <tr><td class="text">{{ row[0] }}</td>
    {% for cell in row[1:] %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</table>
{% endfor %}

<h2>Failures</h2>
{% if errors %}
<table><tr><th>count</th><th class="text">kind</th><th class="text">message</th>
  <th class="text">request</th><th class="text">target</th><th>status</th><th>first s</th>
  <th>last s</th></tr>
{% for e in errors %}
  <tr><td>{{ "{:,}".format(e.count) }}</td><td class="text">{{ e.kind }}</td>
    <td class="text">{{ e.message }}</td><td class="text">{{ e.request }}</td>
    <td class="text">{{ e.target }}</td><td>{{ e.status or "–" }}</td>
    <td>{{ "%.2f"|format(e.first_seen) }}</td><td>{{ "%.2f"|format(e.last_seen) }}</td></tr>
{% endfor %}
</table>
{% if more_errors %}<p class="sub">… and {{ more_errors }} more kinds of failure.</p>{% endif %}
{% else %}<p class="sub">No failures.</p>{% endif %}

<h2>Profile</h2>
<p class="sub">{{ run.key_count }} API key{{ "" if run.key_count == 1 else "s" }}: never stored;
  attempts name them by index. Passwords in URLs and credential headers are left out.</p>
<pre>{{ profile_json }}</pre>

<h2>Environment</h2>
<table class="kv">
{% for label, value in environment %}<tr><td>{{ label }}</td><td>{{ value }}</td></tr>{% endfor %}
</table>

<footer>Written by loadgui {{ version }} on {{ generated }} from the run store
  (run {{ run.id }}, {{ run.uid }}).</footer>
</main></body>
</html>
"""

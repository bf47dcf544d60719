"""Notices and reports as HTML (jinja2 templates, autoescaped) and PDF (fpdf2, pure Python)."""
from __future__ import annotations

from fpdf import FPDF
from jinja2 import Environment, select_autoescape

from tracegraph.campaigns.models import Campaign, Notice

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))

NOTICE_HTML = _env.from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ title }}: {{ notice.site_name or notice.site }}</title>
<style>body{font-family:sans-serif;max-width:48em;margin:2em auto}table{border-collapse:collapse}
td,th{border:1px solid #999;padding:.2em .5em;text-align:left}.urgent{color:#a00}</style></head>
<body>
<h1 class="urgent">{{ title }}</h1>
<p><strong>Campaign:</strong> {{ campaign.id }} &middot; <strong>Class:</strong> {{ campaign.classification.value }}
 &middot; <strong>Type:</strong> {{ campaign.type.value }} \
&middot; <strong>Depth:</strong> {{ campaign.depth.value }}</p>
<p><strong>To:</strong> {{ notice.party_name or notice.party or "" }} &mdash; {{ notice.site_name or "" }}
 ({{ notice.site }}){% if notice.address %}, {{ notice.address }}{% endif %}</p>
<h2>Reason</h2><p>{{ campaign.reason }}</p>
{% if campaign.health_hazard %}<h2>Health hazard</h2><p>{{ campaign.health_hazard }}</p>{% endif %}
<h2>What you must do</h2><p>{{ notice.action }}</p>
<h2>Affected products at your site</h2>
<table><tr><th>GTIN</th><th>Lot</th><th>Quantity</th></tr>
{% for line in notice.lines %}<tr><td>{{ line.gtin or "" }}</td><td>{{ line.lot or "" }}</td>
<td>{{ line.quantity }}</td></tr>{% endfor %}</table>
<h3>Serials ({{ notice.quantity }})</h3>
<ul>{% for s in notice.serials %}<li><code>{{ s }}</code></li>{% endfor %}</ul>
<h2>Reply</h2>
<p>Acknowledge this notice and say how many units you have on hand in the partner portal:
<a id="reply" href="{{ reply_url }}">{{ reply_url }}</a> (log in, then press <em>Acknowledge</em>).</p>
<p>Systems can reply through the API: <code>POST /v1/recalls/{{ campaign.id }}/acknowledgements</code> with
<code>{"site": "{{ notice.site }}", "units_on_hand": N}</code>.</p>
</body></html>
""")


def title(campaign: Campaign) -> str:
    if campaign.classification.value == "FSCA":
        return "URGENT FIELD SAFETY NOTICE"
    return f"URGENT MEDICAL DEVICE {'RECALL' if campaign.type.value != 'advisory' else 'ADVISORY'}"


def notice_html(campaign: Campaign, notice: Notice, reply_url: str) -> str:
    return NOTICE_HTML.render(campaign=campaign, notice=notice, title=title(campaign), reply_url=reply_url)


def _latin(text: object) -> str:
    # fpdf2's core fonts are Latin-1: anything else is shown as '?', never an error
    return str(text if text is not None else "").encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def para(self, text: object, size: int = 10, style: str = "") -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, size * 0.5, _latin(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def table_rows(self, header: list[str], rows: list[list[object]]) -> None:
        self.set_font("Helvetica", "", 8)
        with self.table(text_align="LEFT") as table:
            table.row([_latin(h) for h in header])
            for row in rows:
                table.row([_latin(c) for c in row])
        self.ln(2)


def notice_pdf(campaign: Campaign, notice: Notice, reply_url: str) -> bytes:
    pdf = _Pdf()
    pdf.add_page()
    pdf.para(title(campaign), 16, "B")
    pdf.para(f"Campaign {campaign.id} - class {campaign.classification.value}, {campaign.type.value}, "
             f"depth {campaign.depth.value}")
    pdf.para(f"To: {notice.party_name or notice.party or ''} - {notice.site_name or ''} ({notice.site}) "
             f"{notice.address or ''}")
    pdf.para("Reason", 12, "B")
    pdf.para(campaign.reason)
    if campaign.health_hazard:
        pdf.para("Health hazard", 12, "B")
        pdf.para(campaign.health_hazard)
    pdf.para("What you must do", 12, "B")
    pdf.para(notice.action)
    pdf.para("Affected products at your site", 12, "B")
    pdf.table_rows(["GTIN", "Lot", "Quantity"], [[x.gtin or "", x.lot or "", x.quantity] for x in notice.lines])
    pdf.para(f"Serials ({notice.quantity})", 12, "B")
    pdf.table_rows(["#", "Serial (SGTIN)"], [[i + 1, s] for i, s in enumerate(notice.serials)])
    pdf.para("Reply", 12, "B")
    pdf.para("[ ] We received this notice and will follow it.    Units on hand: ________\n"
             f"Acknowledge in the partner portal: {reply_url} (site {notice.site}).")
    return bytes(pdf.output())


def report_pdf(heading: str, data: dict) -> bytes:
    """A report as a PDF: scalar fields as paragraphs, lists of flat records as tables."""
    pdf = _Pdf()
    pdf.add_page()
    pdf.para(heading, 16, "B")
    _pdf_fields(pdf, data)
    return bytes(pdf.output())


def _pdf_fields(pdf: _Pdf, data: dict, depth: int = 0) -> None:
    for key, value in data.items():
        label = key.replace("_", " ")
        if isinstance(value, dict):
            pdf.para(label, 12 - min(depth, 2), "B")
            _pdf_fields(pdf, value, depth + 1)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            pdf.para(label, 11, "B")
            header = list(value[0])
            pdf.table_rows(header, [[_cell(v.get(h)) for h in header] for v in value])
        else:
            pdf.para(f"{label}: {_cell(value)}")


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return "" if value is None else str(value)

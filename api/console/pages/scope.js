// Recall scope builder: starting points of every kind, as-of, figures, breakdowns, consignees,
// exports, save, and a hold over the scope.
import { download, enc, post } from "../api.js";
import { ask, badge, empty, fmtTime, h, page, problemBox, progress, table, toast } from "../ui.js";
import { startCampaign } from "./recalls.js";

const KINDS = ["lot", "serial", "container", "party", "site", "product"];
const WINDOWED = new Set(["party", "site", "product"]);
const HINT = { lot: "urn:epc:class:lgtin:…", serial: "urn:epc:id:sgtin:…", container: "urn:epc:id:sscc:…",
  party: "urn:epc:id:pgln:…", site: "urn:epc:id:sgln:…", product: "GTIN (14 digits)" };
let chart = null;
let counter = 0;

function iso(local) {
  return local ? new Date(local).toISOString() : undefined;
}

function startRow(kind = "lot", id = "") {
  const n = ++counter;
  const sel = h("select", { id: `k${n}`, name: "kind" }, KINDS.map((k) => h("option", { value: k, selected: k === kind }, k)));
  const idIn = h("input", { id: `i${n}`, name: "id", value: id, required: true, placeholder: HINT[kind], spellcheck: "false" });
  const from = h("input", { id: `f${n}`, name: "from", type: "datetime-local" });
  const to = h("input", { id: `t${n}`, name: "to", type: "datetime-local" });
  const sync = () => {
    idIn.placeholder = HINT[sel.value];
    from.disabled = to.disabled = !WINDOWED.has(sel.value);
  };
  sel.addEventListener("change", sync);
  sync();
  const row = h("div", { class: "start" },
    h("label", { for: `k${n}` }, "Start kind", sel), h("label", { for: `i${n}` }, "Identifier", idIn),
    h("label", { for: `f${n}` }, "Made from (window)", from), h("label", { for: `t${n}` }, "Made to (window)", to),
    h("button", { type: "button", class: "secondary", "aria-label": "Remove this start", onclick: () => row.remove() }, "Remove"));
  return row;
}

function breakdown(result) {
  const views = { by_region: "Region", by_channel: "Channel", by_product_line: "Product line", by_customer: "Customer" };
  const select = h("select", { id: "breakdown" }, Object.entries(views).map(([k, v]) => h("option", { value: k }, v)));
  const canvas = h("canvas", { id: "scope-chart", role: "img", "aria-label": "Affected serials by the chosen breakdown" });
  const listing = h("div", {});
  const draw = () => {
    const data = result.aggregations[select.value] || {};
    const entries = Object.entries(data).sort((a, b) => b[1] - a[1]);
    listing.replaceChildren(entries.length ? h("p", { class: "muted" }, entries.map(([k, v]) => `${k}: ${v}`).join(" · ")) : empty("Nothing to break down."));
    if (chart) chart.destroy();
    if (!window.Chart) return;
    chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: entries.map((e) => e[0]), datasets: [{ label: `Serials by ${views[select.value].toLowerCase()}`, data: entries.map((e) => e[1]), backgroundColor: "#0e6c99", maxBarThickness: 56 }] },
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  };
  select.addEventListener("change", draw);
  queueMicrotask(draw);
  return h("section", { class: "card", "aria-labelledby": "bd-h" }, h("div", { class: "row" }, h("h2", { id: "bd-h", class: "grow" }, "Breakdown"),
    h("label", { for: "breakdown" }, "Break down by", select)), h("div", { class: "chart-box" }, canvas), listing);
}

function byCountry(consignees) {
  const counts = new Map();
  for (const c of consignees) {
    const key = c.country_code || "unknown";
    const cur = counts.get(key) || { country: key, consignees: 0, serials: 0 };
    cur.consignees += 1;
    cur.serials += c.quantity;
    counts.set(key, cur);
  }
  return [...counts.values()].sort((a, b) => b.serials - a.serials);
}

function resultView(result, request, ctx, out) {
  const s = result.summary;
  const fig = (n, l) => h("div", { class: "figure" }, h("div", { class: "n" }, n.toLocaleString()), h("div", { class: "l" }, l));
  const status = Object.entries(s.by_status).filter(([, v]) => v).map(([k, v]) => badge(`${k.replaceAll("_", " ")}: ${v}`));
  const exportButton = (format, label) => h("button", { type: "button", class: "secondary", onclick: async (e) => {
    const button = e.currentTarget;
    button.disabled = true;
    const busy = progress(`Preparing the ${label}…`);
    button.after(busy);
    try {
      const file = await download("/v1/recall-scope/export", { ...request, save: false, page: 1 }, { format }, `recall-scope.${format}`);
      toast(`Downloaded ${file.name} (${file.size.toLocaleString()} bytes)`);
    } catch (err) {
      out.prepend(problemBox(err));
    } finally {
      busy.done();
      button.disabled = false;
    }
  } }, label);
  const saveScope = async () => {
    const saved = await post("/v1/recall-scope", { ...request, save: true, page: 1, page_size: 1 });
    result.scope_id = saved.scope_id;
    return saved.scope_id;
  };
  const actions = h("div", { class: "actions" },
    exportButton("csv", "Export CSV"), exportButton("xlsx", "Export XLSX"), exportButton("consignees", "Consignee list (CSV)"),
    ctx.can("recalls:write") ? h("button", { type: "button", class: "secondary", onclick: async () => {
      try { toast(`Saved as scope ${await saveScope()}`); } catch (err) { out.prepend(problemBox(err)); }
    } }, "Save scope") : null,
    ctx.can("holds:write") && ctx.can("recalls:write") ? h("button", { type: "button", class: "danger", onclick: async () => {
      const answer = await ask("Place a hold on this scope", [
        { name: "reason", label: "Reason", type: "textarea" },
        { name: "policy", label: "Policy", type: "select", options: ["block", "flag"] }], { submit: "Place hold",
        note: `Holds every one of the ${s.serials} serials in scope: shipping them is blocked (or flagged).` });
      if (!answer) return;
      try {
        const id = result.scope_id || await saveScope();
        const hold = await post("/v1/holds", { kind: "recall_scope", target: id, reason: answer.reason, policy: answer.policy });
        toast(`Hold ${hold.id} placed on ${hold.items} serials`);
        location.hash = "#/holds";
      } catch (err) { out.prepend(problemBox(err)); }
    } }, "Place hold on scope") : null,
    ctx.can("recalls:write") ? h("button", { type: "button", onclick: () => startCampaign(request.starts, out) }, "Start recall campaign") : null);
  return [
    h("div", { class: "figures", "aria-label": "Summary" }, fig(s.serials, "serials affected"), fig(s.lots, "lots"), fig(s.consignees, "consignees"), fig(s.sites, "sites")),
    h("div", { class: "card" }, h("div", { class: "actions" }, status.length ? status : h("span", { class: "muted" }, "No serials in scope.")),
      result.as_of ? h("p", { class: "muted" }, `As the records stood at ${fmtTime(result.as_of)}.`) : null,
      result.cycles.length ? h("div", { class: "notice warn" }, `${result.cycles.length} genealogy cycle(s) found in the data and not followed.`) : null,
      actions),
    h("div", { class: "grid" }, breakdown(result),
      h("section", { class: "card", "aria-labelledby": "cty-h" }, h("h2", { id: "cty-h" }, "By country"),
        result.consignees.length ? table([{ label: "Country", key: "country" }, { label: "Consignees", key: "consignees" }, { label: "Serials", key: "serials" }],
          byCountry(result.consignees), { caption: "Consignees and serials by country" }) : empty("No shipments to consignees."))),
    h("section", { class: "card", "aria-labelledby": "cons-h" }, h("h2", { id: "cons-h" }, `Consignees (${result.consignees.length})`),
      result.consignees.length ? table([
        { label: "Consignee", render: (c) => c.party_name || c.site_name || c.site },
        { label: "Site", render: (c) => h("code", {}, c.site) }, { label: "Country", key: "country_code" },
        { label: "Channel", key: "channel" }, { label: "Serials", key: "quantity" }, { label: "Last shipment", render: (c) => fmtTime(c.last_shipment) },
      ], result.consignees, { caption: "Who received affected serials" }) : empty("No consignee received an affected serial.")),
    h("section", { class: "card", "aria-labelledby": "ser-h" }, h("h2", { id: "ser-h" }, `Serials (first ${result.serials.length} of ${s.serials})`),
      result.serials.length ? table([
        { label: "Serial", render: (x) => h("a", { href: `#/serial/${enc(x.epc)}` }, x.epc.split(".").pop()) },
        { label: "Product", render: (x) => x.product || x.gtin }, { label: "Lot", render: (x) => x.lot ? x.lot.split(".").pop() : "—" },
        { label: "Status", render: (x) => x.status.replaceAll("_", " ") }, { label: "Custodian", render: (x) => x.custodian_name || x.site_name || x.site || "—" },
      ], result.serials, { caption: "Affected serials" }) : empty("No serials in scope.")),
  ];
}

export async function render(ctx) {
  const starts = h("div", { class: "starts" }, startRow(ctx.query.get("kind") || "lot", ctx.query.get("id") || ""));
  const asOf = h("input", { id: "as-of", type: "datetime-local" });
  const depth = h("input", { id: "depth", type: "number", min: 0, max: 32, placeholder: "all" });
  const dec = h("input", { id: "inc-dec", type: "checkbox", checked: true });
  const ret = h("input", { id: "inc-ret", type: "checkbox", checked: true });
  const out = h("div", { id: "scope-result" });
  const form = h("form", { "aria-label": "Recall scope question" },
    h("h2", {}, "Starting points"), h("p", { class: "muted" }, "The scope is the union of everything reached from these."), starts,
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => starts.append(startRow()) }, "Add a starting point")),
    h("div", { class: "row" }, h("label", { for: "as-of" }, "As of (blank: now)", asOf), h("label", { for: "depth" }, "Genealogy depth", depth),
      h("label", { class: "check", for: "inc-dec" }, dec, "Include used / decommissioned"), h("label", { class: "check", for: "inc-ret" }, ret, "Include returned"),
      h("button", { type: "submit" }, "Compute scope")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const request = {
      starts: [...starts.querySelectorAll(".start")].map((row) => {
        const get = (n) => row.querySelector(`[name=${n}]`);
        const start = { kind: get("kind").value, id: get("id").value.trim() };
        if (WINDOWED.has(start.kind)) { if (get("from").value) start.from = iso(get("from").value); if (get("to").value) start.to = iso(get("to").value); }
        return start;
      }),
      as_of: iso(asOf.value), include_decommissioned: dec.checked, include_returned: ret.checked,
      max_depth: depth.value === "" ? undefined : Number(depth.value), page_size: 200,
    };
    if (!request.starts.length) { out.replaceChildren(problemBox({ problem: { title: "No starting point", detail: "add at least one starting point" } })); return; }
    const busy = progress("Computing the recall scope…");
    out.replaceChildren(busy);
    try {
      const result = await post("/v1/recall-scope", request);
      busy.done();
      out.replaceChildren(...resultView(result, request, ctx, out));
    } catch (err) {
      busy.done();
      out.replaceChildren(problemBox(err));
    }
  });
  page("Recall scope", h("section", { class: "card" }, form), out);
  if (ctx.query.get("id")) form.requestSubmit();
}

// One serial: status, where it is, its timeline, and its genealogy as a graph that grows on click.
import cytoscape from "../vendor/cytoscape.esm.min.js";
import { ApiError, enc, get } from "../api.js";
import { badge, empty, fmtTime, h, page, problemBox, progress, table } from "../ui.js";
import { lastScan, parsedView } from "./search.js";

export const STATUS_COLOURS = {
  active: "#2f855a", in_progress: "#2f855a", sellable_accessible: "#2f855a", in_stock: "#2f855a",
  in_transit: "#2563eb", at_distributor: "#7c3aed", at_hospital: "#0e7490",
  decommissioned: "#6b7280", used_decommissioned: "#6b7280", destroyed: "#6b7280", inactive: "#6b7280",
  recalled: "#b91c1c", returned: "#b45309", damaged: "#b45309", expired: "#b45309", unknown: "#94a3b8",
};
const KIND_COLOURS = { lot: "#0b4f71", container: "#a16207", object: "#94a3b8" };
const OPEN_STATES = new Set(["open", "acknowledged", "investigating"]);

function statusBadge(status) {
  const bad = ["recalled", "damaged", "expired", "returned"].includes(status);
  const done = ["decommissioned", "destroyed", "inactive"].includes(status);
  return badge(status.replaceAll("_", " "), bad ? "bad" : done ? "" : "ok");
}

async function optional(promise, fallback) {
  try { return await promise; } catch (err) { if (err instanceof ApiError && err.status !== 401) return fallback; throw err; }
}

// What is held and what has open alerts, to mark in the graph.
async function marks(ctx) {
  const held = new Set();
  const alerted = new Map();
  if (ctx.can("holds:read")) {
    const list = await optional(get("/v1/holds", { active: true, limit: 50 }), { holds: [] });
    const details = await Promise.all(list.holds.slice(0, 25).map((x) => optional(get(`/v1/holds/${enc(x.id)}`), null)));
    for (const d of details.filter(Boolean)) { held.add(d.target); d.held.forEach((x) => held.add(x)); }
  }
  if (ctx.can("alerts:read")) {
    const page = await optional(get("/v1/alerts", { limit: 1000 }), { alerts: [] });
    for (const a of page.alerts) if (OPEN_STATES.has(a.state)) alerted.set(a.subject, [...(alerted.get(a.subject) || []), a]);
  }
  return { held, alerted };
}

// Short labels keep the drawing readable; the full identifier is in the detail panel and node list.
function shortLabel(n) {
  const tail = n.id.split(/[.:]/).pop();
  if (n.kind === "lot") return `lot ${tail}`;
  if (n.kind === "container") return `SSCC …${n.id.slice(-4)}`;
  if (n.kind !== "item") return tail;
  if (n.id.endsWith(n.label) || n.label.startsWith("0")) return tail; // no product name: the serial alone
  return `${n.label.length > 18 ? `${n.label.slice(0, 17)}…` : n.label} ${tail}`;
  return tail;
}

function graphView(root, ctx, flags) {
  const box = h("div", { id: "graph", role: "img", "aria-label": `Genealogy graph of ${root}. The node list below it is the same graph for keyboard and screen reader use.` });
  const detail = h("div", { id: "graph-detail", "aria-live": "polite" }, h("p", { class: "muted" }, "Click a node (or use Expand below) to load what it was made from and went into."));
  const listBox = h("div", { id: "graph-nodes" });
  const status = h("div", { class: "muted", role: "status" });
  const statusCache = new Map();
  const expanded = new Set();
  let cy = null;
  // made once the box is in the page: Cytoscape measures its container
  const make = () => cytoscape({
    container: box, minZoom: 0.2, maxZoom: 3,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 4,
        "background-color": "data(colour)", width: 28, height: 28, color: "#18232d", "text-wrap": "ellipsis", "text-max-width": 120 } },
      { selector: "node[kind = 'lot']", style: { shape: "round-rectangle", width: 34, height: 22 } },
      { selector: "node[kind = 'container']", style: { shape: "hexagon" } },
      { selector: "node.root", style: { "border-width": 3, "border-color": "#0e6c99", width: 36, height: 36, "font-weight": "bold" } },
      { selector: "node.held", style: { "border-width": 5, "border-color": "#f59e0b", "border-style": "double" } },
      { selector: "node.anomaly", style: { "border-width": 4, "border-color": "#dc2626", "border-style": "dashed" } },
      { selector: "node:selected", style: { "overlay-color": "#0e6c99", "overlay-opacity": 0.2, "overlay-padding": 6 } },
      { selector: "edge", style: { width: 1.6, "line-color": "#9aa9b8", "target-arrow-color": "#9aa9b8", "target-arrow-shape": "triangle", "curve-style": "bezier" } },
      { selector: "edge[kind = 'lot_item']", style: { "line-style": "dashed" } },
    ],
  });

  function colour(node) {
    if (node.kind === "item") return STATUS_COLOURS[statusCache.get(node.id)] || STATUS_COLOURS.unknown;
    return KIND_COLOURS[node.kind] || KIND_COLOURS.object;
  }

  async function fillStatuses(ids) {
    if (!ctx.can("serials:read")) return;
    const todo = ids.filter((id) => !statusCache.has(id)).slice(0, 60);
    await Promise.all(todo.map(async (id) => {
      const s = await optional(get(`/v1/serials/${enc(id)}`), null);
      statusCache.set(id, s ? s.status : "unknown");
    }));
  }

  function drawList() {
    const rows = cy.nodes().map((n) => n.data()).sort((a, b) => a.id.localeCompare(b.id));
    const open = listBox.querySelector("details")?.open;
    listBox.replaceChildren(h("details", { open }, h("summary", {}, `Node list (${rows.length})`),
      table([
        { label: "Node", render: (n) => h("code", {}, n.id) },
        { label: "Kind", key: "kind" },
        { label: "Status", render: (n) => n.kind === "item" ? (statusCache.get(n.id) || "—") : "—" },
        { label: "Marks", render: (n) => [flags.held.has(n.id) ? badge("on hold", "warn") : null, flags.alerted.has(n.id) ? badge("anomaly", "bad") : null] },
        { label: "", render: (n) => h("button", { type: "button", class: "secondary", disabled: expanded.has(n.id),
          onclick: () => expand(n.id) }, expanded.has(n.id) ? "Expanded" : "Expand") },
      ], rows, { caption: "Genealogy nodes" })));
  }

  async function expand(id) {
    if (expanded.has(id)) return showDetail(id);
    expanded.add(id);
    status.textContent = `Loading the genealogy of ${id}…`;
    try {
      const views = await Promise.all(["backward", "forward"].map((direction) =>
        get(`/v1/genealogy/${enc(id)}/graph`, { direction, depth: id === root ? 2 : 1, max_nodes: 300 })));
      const nodes = new Map();
      const edges = new Map();
      for (const v of views) {
        v.nodes.forEach((n) => nodes.set(n.id, n));
        v.edges.forEach((e) => edges.set(`${e.source}>${e.target}`, e));
      }
      await fillStatuses([...nodes.values()].filter((n) => n.kind === "item").map((n) => n.id));
      const before = cy.nodes().length;
      cy.batch(() => {
        for (const n of nodes.values()) {
          if (cy.getElementById(n.id).length) continue;
          const classes = [n.id === root ? "root" : "", flags.held.has(n.id) ? "held" : "", flags.alerted.has(n.id) ? "anomaly" : ""].join(" ");
          cy.add({ group: "nodes", data: { id: n.id, label: shortLabel(n), name: n.label, kind: n.kind, colour: colour(n) }, classes });
        }
        for (const [key, e] of edges) {
          if (!cy.getElementById(key).length) cy.add({ group: "edges", data: { id: key, source: e.source, target: e.target, kind: e.kind } });
        }
      });
      const added = cy.nodes().length - before;
      cy.layout({ name: "breadthfirst", roots: [root], directed: false, spacingFactor: 1.2, padding: 24, animate: false }).run();
      status.textContent = `${cy.nodes().length} nodes, ${cy.edges().length} links${views.some((v) => v.truncated) ? " (more lies beyond: click a node to load its neighbours)" : ""}; ${added} new from ${id}.`;
      drawList();
      showDetail(id);
    } catch (err) {
      expanded.delete(id);
      status.replaceChildren(problemBox(err));
    }
  }

  function showDetail(id) {
    const node = cy.getElementById(id);
    if (!node.length) return;
    cy.$(":selected").unselect();
    node.select();
    const d = node.data();
    const alerts = flags.alerted.get(id) || [];
    detail.replaceChildren(h("h3", {}, d.name),
      h("dl", { class: "facts" }, h("dt", {}, "Identifier"), h("dd", { class: "mono" }, d.id), h("dt", {}, "Kind"), h("dd", {}, d.kind),
        d.kind === "item" ? [h("dt", {}, "Status"), h("dd", {}, statusCache.get(id) || "—")] : null,
        flags.held.has(id) ? [h("dt", {}, "Hold"), h("dd", {}, badge("on hold", "warn"))] : null,
        alerts.length ? [h("dt", {}, "Anomalies"), h("dd", {}, alerts.map((a) => h("div", {}, badge(a.severity, a.severity), " ", a.rule)))] : null),
      h("div", { class: "actions" },
        d.kind === "item" && id !== root ? h("a", { class: "button secondary", href: `#/serial/${enc(id)}` }, "Open this serial") : null,
        ctx.can("recalls:read") && d.kind !== "object" ? h("a", { class: "button secondary", href: `#/scope?kind=${d.kind === "item" ? "serial" : d.kind}&id=${enc(id)}` }, "Recall scope from here") : null));
  }

  const legend = h("div", { class: "legend", "aria-label": "Legend" },
    ["active", "in_transit", "decommissioned", "recalled"].map((s) => h("span", { style: `--c:${STATUS_COLOURS[s]}` }, `item: ${s.replace("_", " ")}`)),
    h("span", { style: `--c:${KIND_COLOURS.lot}` }, "lot"), h("span", { style: `--c:${KIND_COLOURS.container}` }, "container"),
    h("span", { style: "--c:#fff;--b:#f59e0b" }, "on hold (orange ring)"), h("span", { style: "--c:#fff;--b:#dc2626" }, "anomaly (red dashed ring)"));
  const card = h("section", { class: "card", "aria-labelledby": "gen-h" }, h("h2", { id: "gen-h" }, "Genealogy"),
    h("div", { class: "graph-layout" }, h("div", {}, box, legend, status), detail), listBox);
  const start = () => {
    cy = make();
    cy.on("tap", "node", (e) => expand(e.target.id()));
    box.cy = cy; // lets tests find where a node is drawn
    return expand(root);
  };
  return { card, start };
}

export async function render(ctx) {
  const id = ctx.arg;
  if (!id) { location.hash = "#/search"; return; }
  const main = page("Serial", progress("Loading the serial…"));
  const [serial, timeline, flags] = await Promise.all([
    get(`/v1/serials/${enc(id)}`), optional(get(`/v1/serials/${enc(id)}/timeline`), { events: [] }), marks(ctx)]);
  const epc = serial.epc;
  const alerts = flags.alerted.get(epc) || [];
  const heldNow = flags.held.has(epc) || (serial.lot && flags.held.has(serial.lot.epc)) || (serial.container && flags.held.has(serial.container));
  const scan = lastScan.value && (lastScan.value.epc_urn === epc) ? lastScan.value : null;
  lastScan.value = null;
  const facts = [["Product", serial.product ? `${serial.product.name || "—"} (GTIN ${serial.gtin})` : serial.gtin],
    ["Serial number", serial.serial], ["Lot", serial.lot ? `${serial.lot.lot || serial.lot.epc}${serial.lot.expiry ? `, expires ${serial.lot.expiry}` : ""}` : "—"],
    ["Current site", serial.site || "—"], ["Container", serial.container || "not packed"], ["Commissioned", fmtTime(serial.commissioned)]];
  const gen = ctx.can("genealogy:read") ? graphView(epc, ctx, flags) : null;
  main.replaceChildren(...[
    h("h1", {}, "Serial ", h("code", {}, serial.serial)),
    scan ? h("details", { class: "card" }, h("summary", {}, `Scanned input read as ${scan.kind}`), parsedView(scan)) : null,
    h("div", { class: "grid" },
      h("section", { class: "card", "aria-labelledby": "facts-h" }, h("h2", { id: "facts-h" }, "Where it is now"),
        h("div", { class: "actions" }, statusBadge(serial.status), heldNow ? badge("on hold", "warn") : null,
          alerts.length ? badge(`${alerts.length} open alert${alerts.length > 1 ? "s" : ""}`, "bad") : null),
        h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]), h("dt", {}, "EPC"), h("dd", { class: "mono" }, epc))),
      h("section", { class: "card", "aria-labelledby": "tl-h" }, h("h2", { id: "tl-h" }, `Timeline (${timeline.events.length} events)`),
        timeline.events.length ? table([
          { label: "Time", render: (e) => fmtTime(e.time) },
          { label: "Step", render: (e) => (e.biz_step || e.type).replaceAll("_", " ") },
          { label: "Site", render: (e) => e.site ? h("code", { title: e.site }, e.site.replace("urn:epc:id:sgln:", "")) : "—" },
          { label: "Via", render: (e) => e.via ? h("code", { title: e.via }, e.via.replace(/^urn:epc:id:[a-z]+:/, "")) : "" },
        ], timeline.events, { caption: "Events that saw this serial" }) : empty("No events recorded for this serial."))),
    gen ? gen.card : null].filter(Boolean));
  if (gen) await gen.start();
}

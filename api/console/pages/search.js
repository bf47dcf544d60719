// One box for every identifier form; a scanner types the GS1 element string and Enter.
import { enc, get } from "../api.js";
import { h, page, problemBox, progress } from "../ui.js";

const KIND_NAMES = { item: "serialized item (SGTIN)", class: "lot / batch (LGTIN)", sgtin: "serialized item (SGTIN)",
  lgtin: "lot / batch (LGTIN)", sscc: "logistic unit (SSCC)", sgln: "location (SGLN)", pgln: "party (PGLN)" };

export const lastScan = { value: null };

const KIND_HELP = "EPC URN (urn:epc:id:sgtin:…), GS1 Digital Link (https://…/01/…/21/…), a scanned GS1 element string such as ]d2010061414181234521S1, or a HIBCC UDI (+H123…)";

function parsedView(p) {
  const shown = ([, v]) => v !== null && v !== undefined && v !== "";
  const gs1 = Object.entries(p.gs1 || {}).filter(shown).map(([k, v]) => [k, typeof v === "object" ? JSON.stringify(v) : v]);
  const hibcc = Object.entries(p.hibcc || {}).filter(shown).map(([k, v]) => [k, typeof v === "object" ? JSON.stringify(v) : v]);
  const rows = [["Kind", KIND_NAMES[p.kind] || p.kind], ["EPC URN", p.epc_urn], ["Digital Link", p.digital_link], ["Element string", p.element_string],
    ...gs1.map(([k, v]) => [`GS1 ${k}`, v]), ...hibcc.map(([k, v]) => [`HIBCC ${k}`, v])].filter(([, v]) => v);
  return h("section", { class: "card", "aria-labelledby": "parsed-h" }, h("h2", { id: "parsed-h" }, "What was read"),
    h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", { class: "mono" }, String(v))])),
    Object.keys(p.errors || {}).length ? h("div", { class: "notice warn" }, h("strong", {}, "Not every form could be made"),
      Object.entries(p.errors).map(([k, v]) => h("div", {}, `${k}: ${v}`))) : null);
}

function nextSteps(p, ctx) {
  const epc = p.epc_urn || "";
  const links = [];
  if (ctx.isPartner()) links.push(["Verify this serial", `#/partner/${enc(epc || p.input)}`]);
  else {
    if (epc.startsWith("urn:epc:id:sgtin:") && ctx.can("serials:read")) links.push(["Open the serial", `#/serial/${enc(epc)}`]);
    if ((epc.startsWith("urn:epc:class:lgtin:") || epc.startsWith("urn:epc:id:sgtin:") || epc.startsWith("urn:epc:id:sscc:")) && ctx.can("recalls:read")) {
      const kind = epc.includes(":lgtin:") ? "lot" : epc.includes(":sscc:") ? "container" : "serial";
      links.push(["Build a recall scope from it", `#/scope?kind=${kind}&id=${enc(epc)}`]);
    }
  }
  return links.length ? h("div", { class: "actions" }, links.map(([t, href]) => h("a", { class: "button", href }, t))) : null;
}

export async function render(ctx) {
  const input = h("input", { id: "search-box", class: "big", name: "value", autocomplete: "off", spellcheck: "false",
    required: true, placeholder: "Scan or paste an identifier", "aria-describedby": "search-help" });
  const out = h("div", { id: "search-result" });
  const form = h("form", { class: "row", role: "search", "aria-label": "Identifier search" },
    h("label", { for: "search-box", class: "grow" }, "Identifier", input), h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = input.value.replace(/[\r\n]+$/, "");
    if (!value.trim()) return;
    const busy = progress("Reading the identifier…");
    out.replaceChildren(busy);
    try {
      const parsed = await get("/v1/identifiers/parse", { value });
      lastScan.value = parsed;
      busy.done();
      const epc = parsed.epc_urn || "";
      // A scanned serial goes straight to its page (partners to verification); the parse shows there too.
      if (epc.startsWith("urn:epc:id:sgtin:") && (ctx.can("serials:read") || ctx.isPartner())) {
        location.hash = ctx.isPartner() ? `#/partner/${enc(epc)}` : `#/serial/${enc(epc)}`;
        return;
      }
      out.replaceChildren(parsedView(parsed), nextSteps(parsed, ctx) || "");
    } catch (err) {
      busy.done();
      out.replaceChildren(problemBox(err));
    }
  });
  page("Search", h("section", { class: "card" }, form,
    h("p", { id: "search-help", class: "muted" }, `Accepts ${KIND_HELP}. A barcode scanner can type straight into the box.`)), out);
  if (ctx.arg) { input.value = ctx.arg; form.requestSubmit(); }
  input.focus();
}

export { parsedView };

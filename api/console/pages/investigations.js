// Investigations: the list, opening one by hand or from alerts, and one investigation: subjects,
// state steps with a reason, root cause, findings, evidence (files, links, trace snapshots), timeline.
import { enc, get, post, put, upload } from "../api.js";
import { ask, badge, empty, fmtTime, h, page, problemBox, progress, table, toast } from "../ui.js";

const STATES = ["open", "in_progress", "root_cause_identified", "closed"];
const STATE_KIND = { open: "warn", in_progress: "warn", root_cause_identified: "", closed: "ok" };
const words = (s) => String(s ?? "—").replaceAll("_", " ");
const lines = (text) => String(text || "").split(/[\s,]+/).filter(Boolean);

// Open from alerts (the alerts inbox calls this) and go to the new investigation.
export async function openFromAlerts(alerts, defaultTitle, out) {
  const a = await ask("Open an investigation", [
    { name: "title", label: `Title (blank: "${defaultTitle}")`, required: false },
    { name: "team", label: "Team (optional)", required: false },
    { name: "reason", label: "Why investigate", type: "textarea", required: false }],
  { submit: "Open investigation", note: "The alert's subject becomes a subject of the investigation." });
  if (!a) return;
  const body = { alerts, ...a };
  for (const k of ["title", "team", "reason"]) if (!body[k]?.trim()) delete body[k];
  try {
    const made = await post("/v1/investigations", body);
    toast(`Investigation ${made.id} opened`);
    location.hash = `#/investigations/${enc(made.id)}`;
  } catch (err) {
    out.prepend(problemBox(err));
  }
}

async function listPage(ctx) {
  const state = h("select", { id: "inv-state", name: "state" }, h("option", { value: "" }, "any"), STATES.map((s) => h("option", { value: s }, words(s))));
  const subject = h("input", { id: "inv-subject", name: "subject", placeholder: "serial, lot, site or supplier" });
  const filters = h("form", { class: "row", "aria-label": "Investigation filters" }, h("label", { for: "inv-state" }, "State", state),
    h("label", { for: "inv-subject", class: "grow" }, "Subject", subject), h("button", { type: "submit" }, "Filter"));
  const list = h("div", { id: "inv-list" });
  const note = h("div", {});
  const load = async () => {
    const busy = progress("Loading investigations…");
    list.replaceChildren(busy);
    try {
      const found = await get("/v1/investigations", { state: state.value, subject: subject.value.trim(), limit: 200 });
      busy.done();
      list.replaceChildren(found.investigations.length ? table([
        { label: "Id", render: (x) => h("a", { href: `#/investigations/${enc(x.id)}` }, h("code", {}, x.id)) },
        { label: "Title", key: "title" }, { label: "State", render: (x) => badge(words(x.state), STATE_KIND[x.state]) },
        { label: "Owner", key: "owner" }, { label: "Team", render: (x) => x.team || "—" },
        { label: "Opened", render: (x) => fmtTime(x.created) }, { label: "Updated", render: (x) => fmtTime(x.updated) },
      ], found.investigations, { caption: `${found.count} investigation${found.count === 1 ? "" : "s"}, newest first`,
        onRow: (x) => { location.hash = `#/investigations/${enc(x.id)}`; } })
        : empty("No investigations match. Open one below, or from an alert in the Alerts inbox (\"Open investigation\")."));
    } catch (err) {
      busy.done();
      list.replaceChildren(problemBox(err));
    }
  };
  filters.addEventListener("submit", (e) => { e.preventDefault(); load(); });
  const field = (name, label, attrs = {}) => h("label", { for: `new-${name}`, class: attrs.grow ? "grow" : null }, label,
    attrs.area ? h("textarea", { id: `new-${name}`, name, rows: 2 }) : h("input", { id: `new-${name}`, name, required: !!attrs.required, spellcheck: "false" }));
  const form = h("form", { "aria-label": "Open an investigation" },
    h("div", { class: "row" }, field("title", "Title", { required: true, grow: true }), field("team", "Team")),
    field("description", "Description", { area: true }),
    h("div", { class: "row" }, field("serials", "Serials", { area: true }), field("lots", "Lots", { area: true }),
      field("sites", "Sites", { area: true }), field("suppliers", "Suppliers (PGLN)", { area: true })),
    h("p", { class: "muted" }, "Identifiers in any form (EPC URN, Digital Link, element string), separated by spaces or new lines."),
    h("button", { type: "submit" }, "Open investigation"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = Object.fromEntries(new FormData(form).entries());
    const body = { title: v.title, subjects: { serials: lines(v.serials), lots: lines(v.lots), sites: lines(v.sites), suppliers: lines(v.suppliers) } };
    if (v.team.trim()) body.team = v.team.trim();
    if (v.description.trim()) body.description = v.description;
    try {
      const made = await post("/v1/investigations", body);
      toast(`Investigation ${made.id} opened`);
      location.hash = `#/investigations/${enc(made.id)}`;
    } catch (err) { note.replaceChildren(problemBox(err)); }
  });
  page("Investigations", h("section", { class: "card" }, filters), h("section", { class: "card" }, list), note,
    ctx.can("investigations:write") ? h("section", { class: "card", "aria-labelledby": "oi-h" }, h("h2", { id: "oi-h" }, "Open an investigation by hand"), form) : null);
  await load();
}

function evidenceView(inv, ctx, act) {
  const file = h("input", { id: "ev-file", name: "file", type: "file", required: true });
  const fnote = h("input", { id: "ev-note", name: "note" });
  const upForm = h("form", { class: "row", "aria-label": "Upload evidence" }, h("label", { for: "ev-file" }, "File", file),
    h("label", { for: "ev-note", class: "grow" }, "Note", fnote), h("button", { type: "submit" }, "Upload"));
  upForm.addEventListener("submit", (e) => { e.preventDefault(); act.upload(new FormData(upForm)); });
  const kind = h("select", { id: "ln-kind", name: "kind" }, ["alert", "event", "scope", "hold"].map((k) => h("option", { value: k }, k)));
  const linkForm = h("form", { class: "row", "aria-label": "Link a record" }, h("label", { for: "ln-kind" }, "Link to", kind),
    h("label", { for: "ln-target", class: "grow" }, "Id", h("input", { id: "ln-target", name: "target", required: true, spellcheck: "false" })),
    h("label", { for: "ln-note" }, "Link note", h("input", { id: "ln-note", name: "note" })), h("button", { type: "submit", class: "secondary" }, "Add link"));
  linkForm.addEventListener("submit", (e) => { e.preventDefault(); act.link(Object.fromEntries(new FormData(linkForm).entries())); });
  const traceForm = h("form", { class: "row", "aria-label": "Snapshot a trace" },
    h("label", { for: "tr-id", class: "grow" }, "Trace of (serial, lot or container)", h("input", { id: "tr-id", name: "id", required: true, spellcheck: "false" })),
    h("label", { for: "tr-dir" }, "Direction", h("select", { id: "tr-dir", name: "direction" }, h("option", { value: "forward" }, "forward"), h("option", { value: "backward" }, "backward"))),
    h("button", { type: "submit", class: "secondary" }, "Snapshot trace"));
  traceForm.addEventListener("submit", (e) => { e.preventDefault(); act.trace(Object.fromEntries(new FormData(traceForm).entries())); });
  const link = (x) => {
    if (x.kind === "alert") return h("a", { href: `#/alerts` }, h("code", {}, x.target));
    if (x.kind === "scope") return h("code", {}, x.target);
    return x.target ? h("code", {}, x.target) : "—";
  };
  const writable = ctx.can("investigations:write") && inv.state !== "closed";
  return h("section", { class: "card", "aria-labelledby": "ev-h" }, h("h2", { id: "ev-h" }, `Evidence (${inv.evidence.length})`),
    inv.evidence.length ? table([
      { label: "Kind", render: (x) => x.kind }, { label: "What", render: (x) => x.filename ? x.filename : link(x) },
      { label: "Size", render: (x) => x.size === null || x.size === undefined ? "—" : `${x.size.toLocaleString()} B` },
      { label: "SHA-256", render: (x) => x.sha256 ? h("code", { title: x.sha256 }, `${x.sha256.slice(0, 12)}…`) : "—" },
      { label: "Note", render: (x) => x.note || "" }, { label: "Added", render: (x) => `${fmtTime(x.at)} by ${x.by}` },
      { label: "", render: (x) => x.sha256 ? h("a", { href: `/v1/investigations/${enc(inv.id)}/evidence/${enc(x.id)}/content`, download: x.filename || x.id,
        "aria-label": `Download ${x.filename || x.id}` }, "Download") : "" },
    ], inv.evidence, { caption: "Files are stored by SHA-256 and always downloaded, never opened in the browser" }) : empty("No evidence yet."),
    writable ? [h("h3", {}, "Add evidence"), upForm, linkForm, traceForm] : null);
}

async function detailPage(ctx, id) {
  const note = h("div", { id: "inv-note" });
  page(`Investigation ${id}`, progress("Loading the investigation…"));
  const [inv, timeline, cats] = await Promise.all([get(`/v1/investigations/${enc(id)}`), get(`/v1/investigations/${enc(id)}/timeline`),
    get("/v1/investigations/root-cause-categories").catch(() => ({ categories: [] }))]);
  const reload = () => detailPage(ctx, id).catch((err) => page(`Investigation ${id}`, problemBox(err)));
  const attempt = async (fn, done) => {
    try { await fn(); toast(done); await reload(); } catch (err) { note.replaceChildren(problemBox(err)); note.scrollIntoView(); }
  };
  const rootFields = [{ name: "category", label: "Root-cause category", type: "select", options: cats.categories },
    { name: "text", label: "Root cause", type: "textarea" }];
  const act = {
    move: async (to) => {
      const needCause = to === "root_cause_identified" && !inv.root_cause && cats.categories.length;
      const a = await ask(`Move to ${words(to)}`, [{ name: "reason", label: "Reason", type: "textarea" }, ...(needCause ? rootFields : [])], { submit: `Move to ${words(to)}` });
      if (!a) return;
      const body = { to, reason: a.reason };
      if (needCause) body.root_cause = { category: a.category, text: a.text };
      await attempt(() => post(`/v1/investigations/${enc(id)}/transitions`, body), `Investigation ${id} is now ${words(to)}`);
    },
    cause: async () => {
      const a = await ask("Record the root cause", rootFields, { submit: "Save root cause" });
      if (a) await attempt(() => put(`/v1/investigations/${enc(id)}/root-cause`, a), "Root cause recorded");
    },
    finding: async () => {
      const a = await ask("Record a finding", [{ name: "text", label: "Finding", type: "textarea" }], { submit: "Add finding" });
      if (a) await attempt(() => post(`/v1/investigations/${enc(id)}/findings`, a), "Finding recorded");
    },
    upload: (form) => attempt(() => upload(`/v1/investigations/${enc(id)}/evidence`, form), "Evidence uploaded"),
    link: (v) => attempt(() => post(`/v1/investigations/${enc(id)}/links`, { kind: v.kind, target: v.target.trim(), note: v.note || null }), "Link added"),
    trace: (v) => attempt(() => post(`/v1/investigations/${enc(id)}/trace-snapshots`, { id: v.id.trim(), direction: v.direction }), "Trace snapshot stored"),
    capa: async () => {
      const a = await ask("Start a CAPA for this investigation", [{ name: "title", label: "Title" }, { name: "due", label: "Due date", type: "date", required: false },
        { name: "effectiveness_criteria", label: "How effectiveness will be judged", type: "textarea", required: false }], { submit: "Create CAPA" });
      if (!a) return;
      const body = { title: a.title, investigations: [id] };
      if (a.due) body.due = a.due;
      if (a.effectiveness_criteria.trim()) body.effectiveness_criteria = a.effectiveness_criteria;
      try { const made = await post("/v1/capas", body); toast(`CAPA ${made.id} created`); location.hash = `#/capas/${enc(made.id)}`; } catch (err) { note.replaceChildren(problemBox(err)); }
    },
  };
  const writable = ctx.can("investigations:write");
  const main = page(`Investigation ${inv.id}`, note,
    h("section", { class: "card", "aria-labelledby": "if-h" },
      h("div", { class: "row" }, h("h2", { id: "if-h", class: "grow" }, inv.title), badge(words(inv.state), STATE_KIND[inv.state])),
      inv.description ? h("p", {}, inv.description) : null,
      h("dl", { class: "facts" }, [["Owner", inv.owner], ["Team", inv.team || "—"], ["Members", inv.members.join(", ") || "—"],
        ["Opened", `${fmtTime(inv.created)} by ${inv.created_by}`], ["Alerts", inv.alerts.length ? inv.alerts.map((a) => h("code", {}, `${a} `)) : "—"],
        ["CAPAs", inv.capas.length ? inv.capas.map((c) => h("a", { href: `#/capas/${enc(c)}` }, `${c} `)) : "—"],
        ["Root cause", inv.root_cause ? `${inv.root_cause.category}: ${inv.root_cause.text} (${inv.root_cause.by}, ${fmtTime(inv.root_cause.at)})` : "not identified yet"],
      ].map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      writable ? h("div", { class: "actions" },
        inv.allowed.map((to) => h("button", { type: "button", class: to === "closed" ? "secondary" : "", onclick: () => act.move(to) }, `Move to ${words(to)}`)),
        inv.state !== "closed" ? [h("button", { type: "button", class: "secondary", onclick: act.cause }, inv.root_cause ? "Revise root cause" : "Record root cause"),
          h("button", { type: "button", class: "secondary", onclick: act.finding }, "Add finding")] : null,
        ctx.can("capa:write") ? h("button", { type: "button", class: "secondary", onclick: act.capa }, "Start CAPA") : null,
        ctx.can("recalls:write") ? h("a", { class: "button secondary", href: "#/scope" }, "Build a recall scope") : null) : null),
    h("div", { class: "grid" },
      h("section", { class: "card", "aria-labelledby": "sj-h" }, h("h2", { id: "sj-h" }, `Subjects (${inv.subjects.length})`),
        inv.subjects.length ? table([{ label: "Kind", key: "kind" }, { label: "Identifier", render: (x) => x.kind === "serial" && ctx.can("serials:read")
          ? h("a", { href: `#/serial/${enc(x.epc)}` }, h("code", {}, x.epc)) : x.kind === "lot" && ctx.can("recalls:read")
            ? h("a", { href: `#/scope?kind=lot&id=${enc(x.epc)}` }, h("code", {}, x.epc)) : h("code", {}, x.epc) }], inv.subjects, { caption: "What is investigated" })
          : empty("No subjects yet.")),
      h("section", { class: "card", "aria-labelledby": "fd-h" }, h("h2", { id: "fd-h" }, `Findings (${inv.findings.length})`),
        inv.findings.length ? h("ul", { class: "steps" }, inv.findings.map((f) => h("li", {}, f.text, h("div", { class: "muted" }, `${f.by}, ${fmtTime(f.at)}`))))
          : empty("No findings yet."))),
    evidenceView(inv, ctx, act),
    h("section", { class: "card", "aria-labelledby": "tl-h" }, h("h2", { id: "tl-h" }, "Timeline"),
      timeline.entries.length ? h("ol", { class: "steps", id: "inv-timeline" }, timeline.entries.map((t) => h("li", {},
        h("strong", {}, fmtTime(t.at)), ` ${t.summary}`, t.by ? ` (${t.by})` : "", t.reason ? h("div", { class: "muted" }, t.reason) : null)))
        : empty("Nothing has happened yet.")));
  main.dataset.loaded = inv.id;
}

export async function render(ctx) {
  if (ctx.arg) return detailPage(ctx, ctx.arg);
  return listPage(ctx);
}

// Recall campaigns: the list with live progress, and one campaign: figures and a chart, a notice per
// consignee (HTML/PDF), notify, acknowledgements and returns, effectiveness checks, regulator
// reports, and closure with an e-signature (a 409 lists what is still outstanding).
import { ApiError, enc, get, post } from "../api.js";
import { ask, badge, empty, fmtTime, h, page, problemBox, progress, SIGN_FIELDS, SIGN_NOTE, table, toast } from "../ui.js";

const STATE_KIND = { open: "warn", in_progress: "warn", terminated: "ok" };
const NOTICE_KIND = { draft: "", issued: "warn", acknowledged: "ok" };
const CHECK_RESULTS = ["effective", "not_received", "not_followed", "no_answer"];
const REPORTS = { cfr806: "21 CFR 806 correction/removal report", status: "21 CFR 7.53 recall status report", fsca: "EU MDR FSCA summary" };
let chart = null;

const words = (s) => String(s ?? "—").replaceAll("_", " ");
const short = (epc) => String(epc || "").split(":").pop();

function bar(label, value, total) {
  return h("div", { class: "bar" }, h("div", { class: "muted" }, `${label}: ${value} of ${total}`),
    h("progress", { max: total || 1, value: value || 0, "aria-label": `${label}: ${value} of ${total}` }));
}

function progressBars(st) {
  return h("div", {}, bar("notified", st.consignees_notified, st.consignees), bar("responded", st.consignees_responded, st.consignees),
    bar("units returned", st.units_returned, st.units_in_scope));
}

// The form shared by the scope builder ("Start recall campaign") and this page.
export async function startCampaign(starts, out) {
  const answer = await ask("Start a recall campaign", [
    { name: "classification", label: "Classification", type: "select", options: ["I", "II", "III", "FSCA"] },
    { name: "type", label: "Type", type: "select", options: ["removal", "correction", "advisory"] },
    { name: "depth", label: "Depth", type: "select", options: ["wholesale", "retail", "user"] },
    { name: "reason", label: "Reason for the recall", type: "textarea" },
    { name: "health_hazard", label: "Health hazard summary (optional)", type: "textarea", required: false },
    { name: "action", label: "Action each consignee must take (optional: default by type)", type: "textarea", required: false },
    { name: "investigation_id", label: "Linked investigation id (optional)", required: false },
  ], { submit: "Start campaign", note: "The scope is snapshotted now: later data never silently changes who is notified. One draft notice is made per consignee." });
  if (!answer) return null;
  const body = { starts, ...answer };
  for (const k of ["health_hazard", "action", "investigation_id"]) if (!body[k]?.trim()) delete body[k];
  try {
    const made = await post("/v1/recalls", body);
    toast(`Campaign ${made.id} started with ${made.notices} notice${made.notices === 1 ? "" : "s"}`);
    location.hash = `#/recalls/${enc(made.id)}`;
    return made;
  } catch (err) {
    out.prepend(problemBox(err));
    return null;
  }
}

async function listPage(ctx) {
  const stateSel = h("select", { id: "recall-state" }, h("option", { value: "" }, "any"),
    ["open", "in_progress", "terminated"].map((s) => h("option", { value: s, selected: ctx.query.get("state") === s }, words(s))));
  const box = h("div", { id: "recall-list" });
  const load = async () => {
    const busy = progress("Loading recall campaigns…");
    box.replaceChildren(busy);
    try {
      const found = await get("/v1/recalls", { state: stateSel.value, limit: 200 });
      const statuses = await Promise.all(found.campaigns.slice(0, 50).map((c) => get(`/v1/recalls/${enc(c.id)}/status`).catch(() => null)));
      busy.done();
      box.replaceChildren(found.campaigns.length ? table([
        { label: "Campaign", render: (c) => h("a", { href: `#/recalls/${enc(c.id)}` }, h("code", {}, c.id)) },
        { label: "Class", render: (c) => `${c.classification} · ${c.type} · ${c.depth}` },
        { label: "Reason", key: "reason" },
        { label: "State", render: (c) => badge(words(c.state), STATE_KIND[c.state]) },
        { label: "Serials", key: "scope_serials" }, { label: "Notices", key: "notices" },
        { label: "Progress", render: (c) => { const st = statuses[found.campaigns.indexOf(c)]; return st ? progressBars(st) : "—"; } },
        { label: "Started", render: (c) => `${fmtTime(c.created)} by ${c.created_by}` },
      ], found.campaigns, { caption: "Recall campaigns, newest first: select one to run it", onRow: (c) => { location.hash = `#/recalls/${enc(c.id)}`; } })
        : empty(ctx.can("recalls:write") ? "No recall campaigns. Start one from the Recall scope page: compute a scope, then \"Start recall campaign\"." : "No recall campaigns."));
    } catch (err) {
      busy.done();
      box.replaceChildren(problemBox(err));
    }
  };
  stateSel.addEventListener("change", load);
  page("Recall campaigns", h("section", { class: "card" }, h("div", { class: "row" }, h("h2", { class: "grow" }, "Campaigns"),
    ctx.can("recalls:write") ? h("a", { class: "button", href: "#/scope" }, "New campaign from a scope") : null,
    h("label", { for: "recall-state" }, "State", stateSel)), box));
  await load();
}

function figures(st) {
  const fig = (n, l, id) => h("div", { class: "figure", id }, h("div", { class: "n" }, Number(n).toLocaleString()), h("div", { class: "l" }, l));
  return h("div", { class: "figures", "aria-label": "Campaign progress" },
    fig(st.consignees_notified, `of ${st.consignees} consignees notified`, "fig-notified"),
    fig(st.consignees_responded, "consignees responded", "fig-responded"),
    fig(st.consignees_not_responded, "not responded", "fig-not-responded"),
    fig(st.units_in_scope, "units in scope", "fig-units"),
    fig(st.units_returned, "units returned", "fig-returned"),
    fig(st.units_corrected + st.units_destroyed + st.units_justified, "corrected, destroyed or justified", "fig-other"),
    fig(st.units_outstanding, "units outstanding", "fig-outstanding"));
}

function progressChart(st, names) {
  const canvas = h("canvas", { id: "recall-chart", role: "img",
    "aria-label": `Units: ${st.units_returned} returned, ${st.units_corrected} corrected, ${st.units_destroyed} destroyed, ${st.units_justified} justified, ${st.units_outstanding} outstanding` });
  queueMicrotask(() => {
    if (chart) chart.destroy();
    if (!window.Chart || !canvas.isConnected) return;
    const rows = st.by_consignee.slice(0, 30);
    const series = [["returned", "units_returned", "#1a7f37"], ["corrected", "units_corrected", "#0e6c99"],
      ["destroyed", "units_destroyed", "#6e40c9"], ["justified", "units_justified", "#8a6d00"], ["outstanding", "units_outstanding", "#b42318"]];
    chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: rows.map((c) => names[c.site] || c.site_name || short(c.site)),
        datasets: series.map(([label, key, color]) => ({ label, data: rows.map((c) => c[key]), backgroundColor: color, maxBarThickness: 40 })) },
      options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } },
    });
  });
  return h("section", { class: "card", "aria-labelledby": "rc-h" }, h("h2", { id: "rc-h" }, "Units by consignee"), h("div", { class: "chart-box" }, canvas),
    Object.keys(st.by_region).length ? table([{ label: "Region", key: "region" }, { label: "Consignees", key: "consignees" },
      { label: "Notified", key: "consignees_notified" }, { label: "Responded", key: "consignees_responded" },
      { label: "In scope", key: "units_in_scope" }, { label: "Outstanding", key: "units_outstanding" }],
    Object.entries(st.by_region).map(([region, r]) => ({ region, ...r })), { caption: "Progress by region" }) : null);
}

function outstandingBox(err) {
  const left = err.problem?.outstanding || [];
  return h("div", { class: "notice error", role: "alert", id: "close-refused" },
    h("strong", {}, `${err.problem?.title || "Cannot close"} (${err.status})`), h("span", {}, err.problem?.detail || err.message),
    left.length ? h("details", { open: true }, h("summary", {}, `${left.length} unit${left.length === 1 ? "" : "s"} outstanding`),
      h("ul", { class: "outstanding" }, left.slice(0, 200).map((o) => h("li", {}, h("code", {}, o.serial), " at ", o.sites.map(short).join(", "))))) : null,
    h("div", { class: "muted" }, "Record each unit as returned, corrected, destroyed, or justified (with a note), then close again."));
}

function noticeTable(camp, notices, st, ctx, act) {
  const by = Object.fromEntries(st.by_consignee.map((c) => [c.site, c]));
  const base = `/v1/recalls/${enc(camp.id)}/notices/`;
  return table([
    { label: "Consignee", render: (n) => h("div", {}, n.party_name || n.site_name || short(n.site), h("div", { class: "muted" }, h("code", {}, n.site))) },
    { label: "Region", render: (n) => n.region || n.country_code || "—" },
    { label: "Units", render: (n) => `${n.quantity} (${n.lots.map(short).join(", ") || "no lot"})` },
    { label: "Notice", render: (n) => h("span", {}, badge(words(n.state), NOTICE_KIND[n.state]), n.direct ? "" : h("span", { class: "muted" }, " downstream")) },
    { label: "Reply", render: (n) => n.acknowledged ? `${fmtTime(n.acknowledged)}${n.units_on_hand === null || n.units_on_hand === undefined ? "" : `, ${n.units_on_hand} on hand`}` : "—" },
    { label: "Outstanding", render: (n) => { const c = by[n.site]; return c ? `${c.units_outstanding} of ${c.units_in_scope}` : "—"; } },
    { label: "Open", render: (n) => h("span", { class: "actions" },
      h("a", { href: `${base}${enc(n.site)}?format=html`, target: "_blank", rel: "noopener", "aria-label": `Notice for ${n.site_name || n.site} as HTML` }, "HTML"),
      h("a", { href: `${base}${enc(n.site)}?format=pdf`, "aria-label": `Notice for ${n.site_name || n.site} as PDF` }, "PDF")) },
    { label: "Actions", render: (n) => camp.state === "terminated" ? "" : h("span", { class: "actions" },
      ctx.can("notices:respond") && n.state !== "draft" ? h("button", { type: "button", class: "secondary", onclick: () => act.ack(n) }, "Record reply") : null,
      ctx.can("notices:respond") ? h("button", { type: "button", class: "secondary", onclick: () => act.returns(n) }, "Record returns") : null) },
  ], notices, { caption: "One notice per consignee, listing exactly its affected serials" });
}

function checksView(camp, checks, ctx, act) {
  const level = h("select", { id: "check-level", name: "level" }, [["A", "A: 100 %"], ["B", "B: between 10 and 100 %"], ["C", "C: 10 %"], ["D", "D: 2 %"], ["E", "E: none"]]
    .map(([v, t]) => h("option", { value: v }, t)));
  const percent = h("input", { id: "check-percent", name: "percent", type: "number", min: 11, max: 99, step: "any", disabled: true });
  level.addEventListener("change", () => { percent.disabled = level.value !== "B"; });
  const form = h("form", { class: "row", "aria-label": "Draw an effectiveness check sample" },
    h("label", { for: "check-level" }, "Level (21 CFR 7.42)", level), h("label", { for: "check-percent" }, "Percent (level B)", percent),
    h("button", { type: "submit" }, "Draw sample"));
  form.addEventListener("submit", (e) => { e.preventDefault(); act.draw(level.value, percent.value); });
  return h("section", { class: "card", "aria-labelledby": "ck-h" }, h("h2", { id: "ck-h" }, "Effectiveness checks"),
    ctx.can("recalls:write") && camp.state !== "terminated" ? form : null,
    checks.length ? checks.map((c) => h("div", { class: "check" },
      h("h3", {}, `Level ${c.level} (${c.percent} %): ${c.sample.length} of ${c.population} consignees sampled `,
        c.failed ? badge(`${c.failures.length} failed`, "bad") : c.pending ? badge(`${c.pending} pending`, "warn") : badge("all effective", "ok")),
      h("p", { class: "muted" }, `Drawn ${fmtTime(c.created)} by ${c.created_by}, seed ${c.seed}.`),
      c.sample.length ? table([
        { label: "Consignee", render: (x) => h("code", {}, x.site) },
        { label: "Result", render: (x) => x.result ? badge(words(x.result), x.result === "effective" ? "ok" : "bad") : "pending" },
        { label: "Note", render: (x) => x.note || "" },
        { label: "", render: (x) => ctx.can("recalls:write") && camp.state !== "terminated"
          ? h("button", { type: "button", class: "secondary", onclick: () => act.result(c, x) }, x.result ? "Change result" : "Record result") : "" },
      ], c.sample, { caption: `Sample of check ${c.id}` }) : empty("Level E: no consignee is checked."))) : empty("No effectiveness checks yet. Draw a sample at the level the recall strategy sets."));
}

function reportsView(camp) {
  const base = `/v1/recalls/${enc(camp.id)}/reports/`;
  return h("section", { class: "card", "aria-labelledby": "rp-h" }, h("h2", { id: "rp-h" }, "Regulator reports"),
    table([{ label: "Report", render: (r) => r[1] }, { label: "Download", render: ([kind, name]) => h("span", { class: "actions" },
      ["json", "pdf", "xlsx"].map((f) => h("a", { class: "button secondary", href: `${base}${kind}?format=${f}`, download: `recall-${camp.id}-${kind}.${f}`,
        "aria-label": `${name} as ${f.toUpperCase()}` }, f.toUpperCase()))) }], Object.entries(REPORTS), { caption: "Built from the campaign's data as it is now" }));
}

async function detailPage(ctx, id) {
  const note = h("div", { id: "recall-note" });
  page(`Recall campaign ${id}`, note, progress("Loading the campaign…"));
  const [camp, st, notices, checks] = await Promise.all([get(`/v1/recalls/${enc(id)}`), get(`/v1/recalls/${enc(id)}/status`),
    get(`/v1/recalls/${enc(id)}/notices`), get(`/v1/recalls/${enc(id)}/effectiveness-checks`)]);
  const reload = () => detailPage(ctx, id).catch((err) => page(`Recall campaign ${id}`, problemBox(err)));
  const attempt = async (fn, done) => {
    try { const out = await fn(); if (done) toast(done(out)); await reload(); } catch (err) { note.replaceChildren(problemBox(err)); note.scrollIntoView(); }
  };
  const act = {
    notify: () => attempt(() => post(`/v1/recalls/${enc(id)}/notify`), (r) => `${r.issued} notice${r.issued === 1 ? "" : "s"} issued; ${r.deliveries_queued} queued for delivery`),
    ack: async (n) => {
      const a = await ask(`Reply from ${n.site_name || n.site}`, [{ name: "units_on_hand", label: "Units on hand (optional)", type: "number", required: false },
        { name: "note", label: "Note (optional)", type: "textarea", required: false }], { submit: "Record reply" });
      if (!a) return;
      await attempt(() => post(`/v1/recalls/${enc(id)}/acknowledgements`, { site: n.site, units_on_hand: a.units_on_hand === "" ? null : Number(a.units_on_hand), note: a.note || null }),
        () => "Reply recorded");
    },
    returns: async (n) => {
      const a = await ask(`Units back from ${n.site_name || n.site}`, [
        { name: "serials", label: `Serials (one per line; blank: all ${n.quantity} on this notice)`, type: "textarea", required: false },
        { name: "disposition", label: "Disposition", type: "select", options: ["returned", "corrected", "destroyed", "justified"] },
        { name: "note", label: "Note (required for justified)", type: "textarea", required: false }],
      { submit: "Record", note: `On this notice: ${n.serials.map(short).join(", ")}` });
      if (!a) return;
      const serials = a.serials.split(/[\s,]+/).filter(Boolean);
      const body = serials.length ? { units: serials.map((serial) => ({ serial, disposition: a.disposition, note: a.note || null })) }
        : { site: n.site, disposition: a.disposition, note: a.note || null };
      await attempt(() => post(`/v1/recalls/${enc(id)}/returns`, body), (r) => `${r.recorded} unit${r.recorded === 1 ? "" : "s"} recorded as ${a.disposition}`);
    },
    draw: (level, percent) => attempt(() => post(`/v1/recalls/${enc(id)}/effectiveness-checks`, level === "B" ? { level, percent: Number(percent) } : { level }),
      (c) => `Sample drawn: ${c.sample.length} consignee${c.sample.length === 1 ? "" : "s"}`),
    result: async (c, x) => {
      const a = await ask(`Check of ${x.site}`, [{ name: "result", label: "Result", type: "select", options: CHECK_RESULTS },
        { name: "note", label: "Note (optional)", type: "textarea", required: false }], { submit: "Record result" });
      if (!a) return;
      await attempt(() => post(`/v1/recalls/${enc(id)}/effectiveness-checks/${enc(c.id)}/results`, { site: x.site, result: a.result, note: a.note || null }), () => "Result recorded");
    },
    close: async () => {
      const a = await ask(`Close (terminate) recall ${id}`, [{ name: "reason", label: "Reason", type: "textarea" }, ...SIGN_FIELDS],
        { submit: "Close campaign", note: `${SIGN_NOTE} Closing needs every unit in scope accounted for.` });
      if (!a) return;
      try {
        await post(`/v1/recalls/${enc(id)}/close`, { reason: a.reason, signature: { password: a.password, meaning: a.meaning } });
        toast(`Campaign ${id} terminated`);
        await reload();
      } catch (err) {
        note.replaceChildren(err instanceof ApiError && err.status === 409 ? outstandingBox(err) : problemBox(err));
        note.scrollIntoView();
      }
    },
  };
  const drafts = notices.filter((n) => n.state === "draft").length;
  const writable = ctx.can("recalls:write") && camp.state !== "terminated";
  const main = page(`Recall campaign ${camp.id}`, note,
    h("section", { class: "card", "aria-labelledby": "cf-h" },
      h("div", { class: "row" }, h("h2", { id: "cf-h", class: "grow" }, camp.reason), badge(words(camp.state), STATE_KIND[camp.state])),
      h("dl", { class: "facts" },
        [["Classification", camp.classification === "FSCA" ? "EU MDR FSCA" : `FDA class ${camp.classification}`], ["Type", camp.type], ["Depth", camp.depth],
          ["Health hazard", camp.health_hazard || "—"], ["Action", camp.action],
          ["Starts", camp.starts.map((s) => `${s.kind} ${s.id}`).join("; ")],
          ["Investigation", camp.investigation_id ? h("a", { href: `#/investigations/${enc(camp.investigation_id)}` }, camp.investigation_id) : "—"],
          ["Started", `${fmtTime(camp.created)} by ${camp.created_by}`],
          ["Terminated", camp.terminated ? `${fmtTime(camp.terminated)} by ${camp.terminated_by}` : "—"]].map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      writable ? h("div", { class: "actions" },
        drafts ? h("button", { type: "button", onclick: act.notify }, `Notify consignees (${drafts} draft)`) : null,
        h("button", { type: "button", class: "danger", onclick: act.close }, "Close campaign")) : null),
    figures(st), progressChart(st, Object.fromEntries(notices.map((n) => [n.site, n.party_name || n.site_name]).filter(([, v]) => v))),
    h("section", { class: "card", "aria-labelledby": "nt-h" }, h("h2", { id: "nt-h" }, `Notices (${notices.length})`),
      notices.length ? noticeTable(camp, notices, st, ctx, act) : empty("No consignee received an affected serial: there is nobody to notify.")),
    checksView(camp, checks.checks, ctx, act), reportsView(camp));
  main.dataset.loaded = camp.id;
}

export async function render(ctx) {
  if (ctx.arg) return detailPage(ctx, ctx.arg);
  return listPage(ctx);
}

// Alerts inbox: filters, grades (severity and why), life-cycle actions; closing is e-signed.
import { enc, get, post } from "../api.js";
import { ask, badge, empty, fmtTime, h, page, problemBox, progress, SIGN_FIELDS, SIGN_NOTE, table, toast } from "../ui.js";
import { openFromAlerts } from "./investigations.js";

const NEXT = { open: ["acknowledged", "false_positive"], acknowledged: ["investigating", "false_positive"],
  investigating: ["resolved", "false_positive"], resolved: [], false_positive: [] };
const CLOSING = new Set(["resolved", "false_positive"]);
const VERB = { acknowledged: "Acknowledge", investigating: "Start investigating", resolved: "Resolve", false_positive: "Mark false positive" };

function select(id, label, options) {
  return h("label", { for: id }, label, h("select", { id, name: id }, h("option", { value: "" }, "any"), options.map((o) => h("option", { value: o }, o.replaceAll("_", " ")))));
}

function detailView(alert, ctx, refresh) {
  const actions = ctx.can("alerts:write") ? NEXT[alert.state].map((to) => h("button", {
    type: "button", class: to === "false_positive" ? "secondary" : "", onclick: async () => {
      const fields = [{ name: "reason", label: "Reason", type: "textarea" }, ...(CLOSING.has(to) ? SIGN_FIELDS : [])];
      const answer = await ask(`${VERB[to]}: ${alert.rule}`, fields, { submit: VERB[to], note: CLOSING.has(to) ? SIGN_NOTE : null });
      if (!answer) return;
      const body = { to, reason: answer.reason };
      if (CLOSING.has(to)) body.signature = { password: answer.password, meaning: answer.meaning };
      try {
        const moved = await post(`/v1/alerts/${enc(alert.id)}/transitions`, body);
        toast(`Alert ${moved.id} is now ${moved.state.replaceAll("_", " ")}`);
        refresh(moved.id);
      } catch (err) {
        document.getElementById("alert-detail").prepend(problemBox(err));
      }
    } }, VERB[to])) : [];
  if (ctx.can("investigations:write")) {
    actions.push(h("button", { type: "button", class: "secondary", onclick: () => openFromAlerts([alert.id], alert.rule.replaceAll("_", " "),
      document.getElementById("alert-detail")) }, "Open investigation"));
  }
  return h("section", { class: "card", "aria-labelledby": "ad-h" },
    h("h2", { id: "ad-h" }, alert.rule.replaceAll("_", " ")),
    h("div", { class: "actions" }, badge(alert.severity, alert.severity), badge(alert.state.replaceAll("_", " "))),
    h("dl", { class: "facts" },
      h("dt", {}, "Subject"), h("dd", {}, alert.subject.startsWith("urn:epc:id:sgtin:") && ctx.can("serials:read")
        ? h("a", { href: `#/serial/${enc(alert.subject)}` }, h("code", {}, alert.subject)) : h("code", {}, alert.subject)),
      h("dt", {}, "Grade"), h("dd", {}, `${alert.severity} (rule default ${alert.base_severity})`, alert.grade_reason.length ? h("div", { class: "muted" }, alert.grade_reason.join("; ")) : null),
      h("dt", {}, "Team"), h("dd", {}, alert.team), h("dt", {}, "Created"), h("dd", {}, fmtTime(alert.created)),
      h("dt", {}, "Detections"), h("dd", {}, alert.detections),
      h("dt", {}, "Detail"), h("dd", { class: "mono" }, JSON.stringify(alert.detail))),
    actions.length ? h("div", { class: "actions" }, actions) : null,
    alert.steps.length ? [h("h3", {}, "History"), h("ul", { class: "steps" }, alert.steps.map((s) =>
      h("li", {}, `${fmtTime(s.at)}: ${s.from} → ${s.to} by ${s.by}`, h("div", { class: "muted" }, s.reason))))] : null);
}

export async function render(ctx) {
  const filters = h("form", { class: "row", "aria-label": "Alert filters" },
    select("state", "State", Object.keys(NEXT)), select("severity", "Severity", ["critical", "high", "medium", "low"]),
    h("label", { for: "rule" }, "Rule", h("input", { id: "rule", name: "rule", placeholder: "any" })),
    h("label", { for: "team" }, "Team", h("input", { id: "team", name: "team", placeholder: "any" })),
    h("label", { for: "since" }, "Created since", h("input", { id: "since", name: "since", type: "date" })),
    h("button", { type: "submit" }, "Filter"));
  const list = h("div", { id: "alert-list" });
  const detail = h("div", { id: "alert-detail" });
  const load = async (select) => {
    const q = Object.fromEntries(new FormData(filters).entries());
    if (q.since) q.since = `${q.since}T00:00:00Z`;
    const busy = progress("Loading alerts…");
    list.replaceChildren(busy);
    try {
      const found = await get("/v1/alerts", { ...q, limit: 200 });
      busy.done();
      if (!found.alerts.length) { list.replaceChildren(empty("No alerts match these filters. Clear a filter, or run the rules from the API.")); detail.replaceChildren(); return; }
      const show = async (row) => {
        try { detail.replaceChildren(detailView(await get(`/v1/alerts/${enc(row.id)}`), ctx, load)); } catch (err) { detail.replaceChildren(problemBox(err)); }
      };
      list.replaceChildren(h("p", { class: "muted" }, `${found.count} alert${found.count === 1 ? "" : "s"}`), table([
        { label: "Severity", render: (a) => badge(a.severity, a.severity) },
        { label: "Rule", render: (a) => a.rule.replaceAll("_", " ") },
        { label: "Subject", render: (a) => h("code", {}, a.subject.split(":").pop()) },
        { label: "State", render: (a) => a.state.replaceAll("_", " ") },
        { label: "Team", key: "team" }, { label: "Created", render: (a) => fmtTime(a.created) },
      ], found.alerts, { onRow: show, caption: "Alerts, newest first: select one to act on it" }));
      const chosen = found.alerts.find((a) => a.id === select) || (select ? null : found.alerts[0]);
      if (chosen) await show(chosen);
    } catch (err) {
      busy.done();
      list.replaceChildren(problemBox(err));
    }
  };
  filters.addEventListener("submit", (e) => { e.preventDefault(); load(); });
  page("Alerts", h("section", { class: "card" }, filters), h("div", { class: "grid" }, h("section", { class: "card" }, list), detail));
  await load();
}

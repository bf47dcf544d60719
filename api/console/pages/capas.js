// CAPA: the list (with the overdue filter) and one CAPA: actions (mark done), effectiveness
// verification, state steps; closing takes an e-signature and a verified effectiveness result.
import { enc, get, patch, post } from "../api.js";
import { ask, badge, empty, fmtTime, h, page, problemBox, progress, SIGN_FIELDS, SIGN_NOTE, table, toast } from "../ui.js";

const STATES = ["open", "in_progress", "effectiveness_check", "closed"];
const STATE_KIND = { open: "warn", in_progress: "warn", effectiveness_check: "", closed: "ok" };
const words = (s) => String(s ?? "—").replaceAll("_", " ");

async function listPage(ctx) {
  const state = h("select", { id: "capa-state", name: "state" }, h("option", { value: "" }, "any"), STATES.map((s) => h("option", { value: s }, words(s))));
  const overdue = h("input", { id: "capa-overdue", name: "overdue", type: "checkbox", checked: ctx.query.get("overdue") === "true" });
  const filters = h("form", { class: "row", "aria-label": "CAPA filters" }, h("label", { for: "capa-state" }, "State", state),
    h("label", { class: "check", for: "capa-overdue" }, overdue, "Overdue only"), h("button", { type: "submit" }, "Filter"));
  const list = h("div", { id: "capa-list" });
  const load = async () => {
    const busy = progress("Loading CAPAs…");
    list.replaceChildren(busy);
    try {
      const found = await get("/v1/capas", { state: state.value, overdue: overdue.checked ? "true" : "", limit: 200 });
      busy.done();
      list.replaceChildren(found.capas.length ? table([
        { label: "Id", render: (x) => h("a", { href: `#/capas/${enc(x.id)}` }, h("code", {}, x.id)) },
        { label: "Title", key: "title" }, { label: "State", render: (x) => badge(words(x.state), STATE_KIND[x.state]) },
        { label: "Owner", key: "owner" }, { label: "Due", render: (x) => x.due || "—" },
        { label: "Overdue", render: (x) => x.overdue || x.overdue_actions.length
          ? badge(x.overdue_actions.length ? `${x.overdue_actions.length} action${x.overdue_actions.length === 1 ? "" : "s"} overdue` : "overdue", "bad") : "no" },
        { label: "Investigations", render: (x) => x.investigations.map((i) => h("a", { href: `#/investigations/${enc(i)}` }, `${i} `)) },
      ], found.capas, { caption: `${found.count} CAPA${found.count === 1 ? "" : "s"}, newest first`, onRow: (x) => { location.hash = `#/capas/${enc(x.id)}`; } })
        : empty(overdue.checked ? "Nothing is overdue." : "No CAPAs. Start one from an investigation (\"Start CAPA\")."));
    } catch (err) {
      busy.done();
      list.replaceChildren(problemBox(err));
    }
  };
  filters.addEventListener("submit", (e) => { e.preventDefault(); load(); });
  overdue.addEventListener("change", load);
  page("CAPA", h("section", { class: "card" }, filters), h("section", { class: "card" }, list));
  await load();
}

async function detailPage(ctx, id) {
  const note = h("div", { id: "capa-note" });
  page(`CAPA ${id}`, progress("Loading the CAPA…"));
  const capa = await get(`/v1/capas/${enc(id)}`);
  const reload = () => detailPage(ctx, id).catch((err) => page(`CAPA ${id}`, problemBox(err)));
  const attempt = async (fn, done) => {
    try { await fn(); toast(done); await reload(); } catch (err) { note.replaceChildren(problemBox(err)); note.scrollIntoView(); }
  };
  const act = {
    move: async (to) => {
      const signed = to === "closed";
      const a = await ask(`Move to ${words(to)}`, [{ name: "reason", label: "Reason", type: "textarea" }, ...(signed ? SIGN_FIELDS : [])],
        { submit: signed ? "Close CAPA" : `Move to ${words(to)}`, note: signed ? `${SIGN_NOTE} Closing also needs an effectiveness check with the result "effective".` : null });
      if (!a) return;
      const body = { to, reason: a.reason };
      if (signed) body.signature = { password: a.password, meaning: a.meaning };
      await attempt(() => post(`/v1/capas/${enc(id)}/transitions`, body), `CAPA ${id} is now ${words(to)}`);
    },
    done: (x) => attempt(() => patch(`/v1/capas/${enc(id)}/actions/${enc(x.id)}`, { status: "done" }), "Action marked done"),
    start: (x) => attempt(() => patch(`/v1/capas/${enc(id)}/actions/${enc(x.id)}`, { status: "in_progress" }), "Action started"),
    add: async () => {
      const a = await ask("Add an action", [{ name: "kind", label: "Kind", type: "select", options: ["corrective", "preventive"] },
        { name: "description", label: "What will be done", type: "textarea" }, { name: "owner", label: "Owner (user name)" },
        { name: "due", label: "Due date", type: "date" }], { submit: "Add action" });
      if (a) await attempt(() => post(`/v1/capas/${enc(id)}/actions`, [a]), "Action added");
    },
    verify: async () => {
      const a = await ask("Record an effectiveness check", [
        { name: "criteria", label: "Criteria (what was checked)", type: "textarea" },
        { name: "evidence", label: "Evidence (what was seen)", type: "textarea" },
        { name: "result", label: "Result", type: "select", options: ["effective", "not_effective"] }], { submit: "Record check" });
      if (a) await attempt(() => post(`/v1/capas/${enc(id)}/verifications`, a), `Effectiveness check recorded: ${words(a.result)}`);
    },
  };
  const writable = ctx.can("capa:write") && capa.state !== "closed";
  const main = page(`CAPA ${capa.id}`, note,
    h("section", { class: "card", "aria-labelledby": "cp-h" },
      h("div", { class: "row" }, h("h2", { id: "cp-h", class: "grow" }, capa.title), badge(words(capa.state), STATE_KIND[capa.state]),
        capa.overdue ? badge("overdue", "bad") : null, capa.effective ? badge("verified effective", "ok") : badge("effectiveness not verified", "warn")),
      capa.description ? h("p", {}, capa.description) : null,
      h("dl", { class: "facts" }, [["Owner", capa.owner], ["Due", capa.due || "—"], ["Effectiveness criteria", capa.effectiveness_criteria || "—"],
        ["Investigations", capa.investigations.length ? capa.investigations.map((i) => h("a", { href: `#/investigations/${enc(i)}` }, `${i} `)) : "—"],
        ["Created", `${fmtTime(capa.created)} by ${capa.created_by}`], ["Closed", fmtTime(capa.closed)]].map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      writable ? h("div", { class: "actions" }, capa.allowed.map((to) => h("button", { type: "button", class: to === "closed" ? "danger" : "", onclick: () => act.move(to) },
        to === "closed" ? "Close CAPA" : `Move to ${words(to)}`))) : null),
    h("section", { class: "card", "aria-labelledby": "ac-h" }, h("div", { class: "row" }, h("h2", { id: "ac-h", class: "grow" }, `Actions (${capa.actions.length})`),
      writable ? h("button", { type: "button", class: "secondary", onclick: act.add }, "Add action") : null),
    capa.actions.length ? table([
      { label: "Kind", key: "kind" }, { label: "Action", key: "description" }, { label: "Owner", key: "owner" },
      { label: "Due", render: (x) => h("span", {}, x.due, x.overdue ? [" ", badge("overdue", "bad")] : null) },
      { label: "Status", render: (x) => badge(words(x.status), x.status === "done" ? "ok" : "") },
      { label: "Done", render: (x) => x.completed ? `${fmtTime(x.completed)} by ${x.completed_by}` : "—" },
      { label: "", render: (x) => writable && ["planned", "in_progress"].includes(x.status) ? h("span", { class: "actions" },
        x.status === "planned" ? h("button", { type: "button", class: "secondary", onclick: () => act.start(x) }, "Start") : null,
        h("button", { type: "button", onclick: () => act.done(x), "aria-label": `Mark done: ${x.description}` }, "Mark done")) : "" },
    ], capa.actions, { caption: "Corrective and preventive actions" }) : empty("No actions yet: add the corrective and preventive actions with owners and due dates.")),
    h("section", { class: "card", "aria-labelledby": "vf-h" }, h("div", { class: "row" }, h("h2", { id: "vf-h", class: "grow" }, "Effectiveness verification"),
      writable && capa.state === "effectiveness_check" ? h("button", { type: "button", class: "secondary", onclick: act.verify }, "Record effectiveness check") : null),
    writable && capa.state !== "effectiveness_check" ? h("p", { class: "muted" }, "Effectiveness is verified once the CAPA is moved to \"effectiveness check\" (its actions done).") : null,
    capa.verifications.length ? table([{ label: "Criteria", key: "criteria" }, { label: "Evidence", key: "evidence" },
      { label: "Result", render: (v) => badge(words(v.result), v.result === "effective" ? "ok" : "bad") }, { label: "By", render: (v) => `${v.by}, ${fmtTime(v.at)}` }],
    capa.verifications, { caption: "Effectiveness checks, the latest decides" }) : empty("Not verified yet. Closing needs a check with the result \"effective\".")),
    h("section", { class: "card", "aria-labelledby": "hi-h" }, h("h2", { id: "hi-h" }, "History"),
      capa.history.length ? h("ol", { class: "steps" }, capa.history.map((x) => h("li", {}, h("strong", {}, fmtTime(x.at)), ` ${x.summary} (${x.by})`,
        x.reason ? h("div", { class: "muted" }, x.reason) : null))) : empty("Nothing recorded yet.")));
  main.dataset.loaded = capa.id;
}

export async function render(ctx) {
  if (ctx.arg) return detailPage(ctx, ctx.arg);
  return listPage(ctx);
}

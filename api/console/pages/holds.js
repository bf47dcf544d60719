// Holds: place one on a lot, serial, container, site, product or saved scope; release with an e-signature.
import { enc, get, post } from "../api.js";
import { ask, badge, empty, fmtTime, h, page, problemBox, progress, SIGN_FIELDS, SIGN_NOTE, table, toast } from "../ui.js";

const KINDS = ["lot", "serial", "container", "site", "product", "recall_scope"];

export async function render(ctx) {
  const list = h("div", { id: "hold-list" });
  const note = h("div", {});
  const active = h("select", { id: "hold-active" }, h("option", { value: "true" }, "active"), h("option", { value: "false" }, "released"), h("option", { value: "" }, "all"));
  const load = async () => {
    const busy = progress("Loading holds…");
    list.replaceChildren(busy);
    try {
      const found = await get("/v1/holds", { active: active.value, limit: 200 });
      busy.done();
      list.replaceChildren(found.holds.length ? table([
        { label: "Hold", render: (x) => h("code", {}, x.id) },
        { label: "Kind", render: (x) => x.kind.replace("_", " ") }, { label: "Target", render: (x) => h("code", {}, x.target) },
        { label: "Policy", key: "policy" }, { label: "Items", key: "items" },
        { label: "State", render: (x) => badge(x.state, x.state === "active" ? "warn" : "") },
        { label: "Placed", render: (x) => `${fmtTime(x.created)} by ${x.created_by}` }, { label: "Reason", key: "reason" },
        { label: "", render: (x) => x.state === "active" && ctx.can("holds:write") ? h("button", { type: "button", class: "secondary", onclick: () => release(x) }, "Release") : (x.release_reason || "") },
      ], found.holds, { caption: "Holds, newest first" }) : empty(active.value === "true" ? "No active holds. Place one above when a lot or serial must not ship." : "No holds."));
    } catch (err) {
      busy.done();
      list.replaceChildren(problemBox(err));
    }
  };
  const release = async (hold) => {
    const answer = await ask(`Release hold ${hold.id}`, [{ name: "reason", label: "Reason for release", type: "textarea" }, ...SIGN_FIELDS],
      { submit: "Release hold", note: SIGN_NOTE });
    if (!answer) return;
    try {
      await post(`/v1/holds/${enc(hold.id)}/release`, { reason: answer.reason, signature: { password: answer.password, meaning: answer.meaning } });
      toast(`Hold ${hold.id} released`);
      note.replaceChildren();
      await load();
    } catch (err) {
      note.replaceChildren(problemBox(err));
    }
  };
  const form = h("form", { class: "row", "aria-label": "Place a hold" },
    h("label", { for: "hold-kind" }, "Kind", h("select", { id: "hold-kind", name: "kind" }, KINDS.map((k) => h("option", { value: k }, k.replace("_", " "))))),
    h("label", { for: "hold-target", class: "grow" }, "Target", h("input", { id: "hold-target", name: "target", required: true, placeholder: "EPC URN, Digital Link, GTIN or scope id", spellcheck: "false" })),
    h("label", { for: "hold-policy" }, "Policy", h("select", { id: "hold-policy", name: "policy" }, h("option", { value: "block" }, "block shipping"), h("option", { value: "flag" }, "flag shipping"))),
    h("label", { for: "hold-reason", class: "grow" }, "Reason", h("input", { id: "hold-reason", name: "reason", required: true })),
    h("label", { class: "check", for: "hold-derived" }, h("input", { id: "hold-derived", name: "derived", type: "checkbox" }), "Also what was made from it"),
    h("button", { type: "submit" }, "Place hold"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = Object.fromEntries(new FormData(form).entries());
    body.derived = body.derived === "on";
    try {
      const hold = await post("/v1/holds", body);
      toast(`Hold placed: ${hold.items} serial${hold.items === 1 ? "" : "s"} held`);
      note.replaceChildren(h("div", { class: "notice ok", role: "status" }, `Hold ${hold.id} placed on ${hold.items} serial${hold.items === 1 ? "" : "s"}.`));
      form.reset();
      active.value = "true";
      await load();
    } catch (err) {
      note.replaceChildren(problemBox(err));
    }
  });
  active.addEventListener("change", load);
  page("Holds", ctx.can("holds:write") ? h("section", { class: "card", "aria-labelledby": "ph" }, h("h2", { id: "ph" }, "Place a hold"), form) : null, note,
    h("section", { class: "card" }, h("div", { class: "row" }, h("h2", { class: "grow" }, "Holds"), h("label", { for: "hold-active" }, "Show", active)), list));
  await load();
}

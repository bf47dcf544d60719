// Audit trail: the chain's verification status, and the records, filtered and paged.
import { get } from "../api.js";
import { empty, fmtTime, h, page, problemBox, progress, table } from "../ui.js";

export async function render() {
  const status = h("div", { id: "audit-status" }, progress("Verifying the audit chain and signatures…"));
  const list = h("div", { id: "audit-list" });
  const more = h("div", { class: "actions" });
  const form = h("form", { class: "row", "aria-label": "Audit filters" },
    ...["actor", "action", "subject"].map((n) => h("label", { for: `audit-${n}` }, n[0].toUpperCase() + n.slice(1), h("input", { id: `audit-${n}`, name: n, placeholder: "any" }))),
    h("button", { type: "submit" }, "Filter"), h("a", { class: "button secondary", href: "/v1/audit/export", download: "audit.jsonl" }, "Export (JSON Lines)"));
  let rows = [];
  const load = async (after = 0) => {
    const q = Object.fromEntries(new FormData(form).entries());
    try {
      const page = await get("/v1/audit", { ...q, after, limit: 100 });
      rows = after ? rows.concat(page) : page;
      list.replaceChildren(rows.length ? table([
        { label: "#", key: "seq" }, { label: "Time", render: (r) => fmtTime(r.time, true) }, { label: "Actor", key: "actor" },
        { label: "Action", key: "action" }, { label: "Subject", render: (r) => h("code", {}, r.subject || "") },
        { label: "E-signature", render: (r) => r.esign_signer ? `${r.esign_name || r.esign_signer} (${r.esign_meaning})` : "" },
        { label: "Reason", render: (r) => r.reason || "" },
      ], rows, { caption: "Audit records in chain order" }) : empty("No audit records match."));
      more.replaceChildren(page.length === 100 ? h("button", { type: "button", class: "secondary", onclick: () => load(rows[rows.length - 1].seq) }, "Load more") : "");
    } catch (err) {
      list.replaceChildren(problemBox(err));
    }
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
  page("Audit", status, h("section", { class: "card" }, form), h("section", { class: "card" }, list, more));
  await Promise.all([load(), get("/v1/audit/verify").then((r) => {
    status.replaceChildren(h("div", { class: `notice ${r.ok ? "ok" : "error"}`, role: "status" },
      h("strong", {}, r.ok ? "Audit chain verified" : `Audit chain broken: ${r.kind}`),
      `${r.checked} of ${r.records} records checked. ${r.detail}`, r.ok ? "" : ` First bad record: #${r.first_bad}.`));
  }).catch((err) => status.replaceChildren(problemBox(err)))]);
}

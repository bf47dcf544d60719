// Partner portal: verify a serial (own data only: the API answers "not found" for others'),
// and every recall notice addressed to this partner, listed straight from GET /v1/recalls/notices.
import { ApiError, enc, get, post } from "../api.js";
import { ask, badge, empty, h, page, problemBox, progress, toast } from "../ui.js";

function verdict(v) {
  const good = v.verified && !v.recalled && !v.on_hold && !v.decommissioned;
  const flags = [v.verified ? badge("genuine", "ok") : badge("not verified", "bad"), v.recalled ? badge("recalled", "bad") : null,
    v.on_hold ? badge("on hold", "warn") : null, v.decommissioned ? badge("decommissioned", "") : null,
    v.legitimate_holder === true ? badge("handled by you", "ok") : v.legitimate_holder === false ? badge("not handled by you", "warn") : null];
  return h("section", { class: "card", id: "verify-result", "aria-labelledby": "vr-h" },
    h("h2", { id: "vr-h" }, good ? "Genuine and fit to use" : "Do not use without checking"),
    h("div", { class: "actions" }, flags),
    h("dl", { class: "facts" }, [["Product", v.product || "—"], ["GTIN", v.gtin], ["Serial", v.serial], ["Lot", v.lot || "—"],
      ["Expiry", v.expiry || "—"], ["Manufacturer", v.manufacturer || "—"]].map(([k, x]) => [h("dt", {}, k), h("dd", {}, x)])));
}

// The API lists only this partner's own issued notices, across campaigns; another party's never shows.
function noticeCard(n, refresh) {
  const campaign = n.campaign;
  const base = `/v1/recalls/${enc(campaign)}/notices/${enc(n.site)}`;
  const acknowledge = async () => {
    const a = await ask("Acknowledge the recall notice", [
      { name: "units_on_hand", label: "Units of the affected product you still have on hand", type: "number" },
      { name: "note", label: "Note (optional)", type: "textarea", required: false }],
    { submit: "Acknowledge", note: `For ${n.site_name || n.site}: ${n.quantity} affected unit${n.quantity === 1 ? "" : "s"} were shipped to you.` });
    if (!a) return;
    try {
      await post(`/v1/recalls/${enc(campaign)}/acknowledgements`, { site: n.site, units_on_hand: Number(a.units_on_hand), note: a.note || null });
      toast("Notice acknowledged: thank you");
      await refresh();
    } catch (err) { refresh(err); }
  };
  return h("article", { class: "card notice-card", "aria-label": `Notice for ${n.site_name || n.site}` },
    h("div", { class: "row" }, h("h3", { class: "grow" }, [n.party_name, n.site_name].filter(Boolean).join(", ") || n.site), badge(n.state, n.state === "acknowledged" ? "ok" : "warn")),
    h("p", {}, h("strong", {}, `Recall ${n.campaign}`), ` · class ${n.classification} · ${n.type}: ${n.reason}`),
    h("p", {}, h("strong", {}, "What to do: "), n.action),
    h("dl", { class: "facts" }, [["Site", h("code", {}, n.site)], ["Lots", n.lots.join(", ") || "—"], ["Units shipped to you", n.quantity],
      ["Serials", h("span", { class: "mono" }, n.serials.join(" "))],
      ["Acknowledged", n.acknowledged ? `${n.acknowledged.slice(0, 16).replace("T", " ")} UTC, ${n.units_on_hand ?? "—"} on hand` : "not yet"]]
      .map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("div", { class: "actions" },
      n.state === "issued" ? h("button", { type: "button", onclick: acknowledge }, "Acknowledge") : null,
      h("a", { class: "button secondary", href: `${base}?format=html`, target: "_blank", rel: "noopener" }, "Open notice (HTML)"),
      h("a", { class: "button secondary", href: `${base}?format=pdf` }, "Download PDF")));
}

function notices(ctx) {
  const input = h("input", { id: "recall-ref", name: "recall", autocomplete: "off", spellcheck: "false", value: ctx.query.get("recall") || "",
    placeholder: "optional: the recall reference printed on a notice" });
  const out = h("div", { id: "notice-list" });
  const form = h("form", { class: "row", "aria-label": "Filter your recall notices" },
    h("label", { for: "recall-ref", class: "grow" }, "Recall reference (optional)", input), h("button", { type: "submit", class: "secondary" }, "Filter"));
  const load = async (error) => {
    const id = input.value.trim();
    const busy = progress("Loading your notices…");
    out.replaceChildren(busy);
    try {
      const page = await get("/v1/recalls/notices", { limit: 1000, ...(id ? { campaign: id } : {}) });
      busy.done();
      const list = page.notices;
      const more = page.total > list.length ? h("p", { class: "muted" }, `Showing the newest ${list.length} of ${page.total} notices.`) : "";
      const none = id
        ? h("div", { class: "notice warn", role: "alert" }, h("strong", {}, "Not found"), "No recall with this reference has a notice for your organisation. Check the reference on the notice you received, or clear it to see all your notices.")
        : empty("No recall notice is addressed to your organisation.");
      out.replaceChildren(error ? problemBox(error) : "", ...(list.length ? list.map((n) => noticeCard(n, load)) : [none]), more);
    } catch (err) {
      busy.done();
      out.replaceChildren(problemBox(err));
    }
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
  queueMicrotask(() => load());
  return h("section", { class: "card", "aria-labelledby": "nt-h" }, h("h2", { id: "nt-h" }, "Recall notices"),
    h("p", { class: "muted" }, "Every recall notice addressed to your organisation: acknowledge each and say how many units you hold. A recall reference narrows the list to one recall."), form, out);
}

export async function render(ctx) {
  const input = h("input", { id: "verify-id", class: "big", name: "id", required: true, autocomplete: "off", spellcheck: "false",
    placeholder: "Scan or paste the serial's barcode, Digital Link or EPC" });
  const out = h("div", {});
  const form = h("form", { class: "row", "aria-label": "Verify a serial" }, h("label", { for: "verify-id", class: "grow" }, "Serial", input), h("button", { type: "submit" }, "Verify"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const busy = progress("Verifying…");
    out.replaceChildren(busy);
    try {
      const v = await get("/v1/verify", { id: input.value.replace(/[\r\n]+$/, "") });
      busy.done();
      out.replaceChildren(verdict(v));
    } catch (err) {
      busy.done();
      out.replaceChildren(err instanceof ApiError && err.status === 404
        ? h("div", { class: "notice warn", role: "alert", id: "verify-result" }, h("strong", {}, "Not found"),
          "No serial with this identifier is known to your organisation. Check the barcode; if the device is in your hands, quarantine it and contact the manufacturer.")
        : problemBox(err));
    }
  });
  page(ctx.isPartner() ? "Partner portal" : "Verify a serial", h("section", { class: "card" }, form,
    h("p", { class: "muted" }, "Checks that a serial is genuine, not recalled, not on hold, and whether your organisation handled it.")), out,
  ctx.isPartner() && ctx.can("notices:read") ? notices(ctx) : null);
  if (ctx.arg) { input.value = ctx.arg; form.requestSubmit(); }
  input.focus();
}

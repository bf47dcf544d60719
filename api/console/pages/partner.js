// Partner portal: verify a serial (own data only: the API answers "not found" for others'),
// and the recall notices addressed to this partner where the server has them.
import { ApiError, enc, get, post } from "../api.js";
import { badge, empty, h, page, problemBox, progress, table, toast } from "../ui.js";

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

async function notices() {
  const box = h("section", { class: "card", "aria-labelledby": "nt-h" }, h("h2", { id: "nt-h" }, "Recall notices"));
  try {
    const found = await get("/v1/notices");
    const list = Array.isArray(found) ? found : found.notices || [];
    box.append(list.length ? table([
      { label: "Notice", render: (n) => n.title || n.id }, { label: "Recall", render: (n) => n.recall || n.recall_id || "—" },
      { label: "State", render: (n) => n.state || (n.acknowledged ? "acknowledged" : "new") },
      { label: "", render: (n) => n.acknowledged || n.state === "acknowledged" ? "" : h("button", { type: "button", class: "secondary", onclick: async () => {
        try { await post(`/v1/notices/${enc(n.id)}/acknowledge`, {}); toast("Notice acknowledged"); } catch (err) { box.append(problemBox(err)); }
      } }, "Acknowledge") },
    ], list, { caption: "Notices addressed to you" }) : empty("No recall notices for you."));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) box.append(empty("Recall notices are not available on this server yet."));
    else box.append(problemBox(err));
  }
  return box;
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
  ctx.isPartner() ? await notices() : null);
  if (ctx.arg) { input.value = ctx.arg; form.requestSubmit(); }
  input.focus();
}

// Small DOM helpers shared by the pages.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function page(title, ...children) {
  const main = document.getElementById("main");
  main.replaceChildren(h("h1", {}, title), ...children.filter((c) => c !== null && c !== undefined && c !== false));
  document.title = `${title} · tracegraph`;
  return main;
}

export function problemBox(err, what) {
  const p = err.problem || {};
  const hint = {
    0: "Check the connection and try again.",
    401: "Your session has ended: log in again.",
    403: "Your role does not allow this. Ask an administrator if you need it.",
    404: "Nothing with that identifier is visible to you. Check the value, or search for it.",
    422: "Correct the highlighted value and try again.",
    429: "Too many requests: wait a moment and retry.",
  }[err.status] || (err.status >= 500 ? "The server failed; retry, and tell your administrator if it persists." : "");
  return h("div", { class: "notice error", role: "alert" },
    h("strong", {}, `${p.title || "Error"}${err.status ? ` (${err.status})` : ""}`),
    h("span", {}, p.detail || err.message), p.field ? h("span", { class: "muted" }, ` — field: ${p.field}`) : null,
    hint ? h("div", { class: "muted" }, hint) : null);
}

export function empty(text) {
  return h("div", { class: "empty" }, text);
}

// An indeterminate progress line with elapsed seconds, for calls that may take a while.
export function progress(label) {
  const seconds = h("span", {}, "");
  const box = h("div", { class: "progress", role: "status", "aria-live": "polite" },
    h("progress", { "aria-label": label }), h("span", {}, label), seconds);
  const start = Date.now();
  const timer = setInterval(() => {
    if (!box.isConnected) return clearInterval(timer);
    seconds.textContent = `${Math.round((Date.now() - start) / 1000)} s`;
  }, 1000);
  box.done = () => { clearInterval(timer); box.remove(); };
  return box;
}

export function toast(text) {
  const line = h("div", {}, text);
  document.getElementById("toast").append(line);
  setTimeout(() => line.remove(), 6000);
}

export function badge(text, kind) {
  return h("span", { class: `badge ${kind || ""}` }, text);
}

export function fmtTime(value, seconds = false) {
  if (!value) return "—";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace("T", " ").slice(0, seconds ? 19 : 16) + " UTC";
}

export function table(columns, rows, { onRow, caption } = {}) {
  const body = rows.map((row) => {
    const tr = h("tr", onRow ? { class: "clickable", tabindex: "0" } : {},
      columns.map((c) => h("td", {}, c.render ? c.render(row) : (row[c.key] ?? "—"))));
    if (onRow) {
      tr.addEventListener("click", () => onRow(row, tr));
      tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); onRow(row, tr); } });
    }
    return tr;
  });
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption || "table" },
    h("table", {}, caption ? h("caption", { class: "muted", style: "text-align:left;padding:.4rem" }, caption) : null,
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c.label)))), h("tbody", {}, body)));
}

// A modal form. fields: [{name, label, type, options, required}]; resolves with the values or null.
export function ask(title, fields, { submit = "Confirm", note } = {}) {
  return new Promise((resolve) => {
    const inputs = fields.map((f) => {
      const id = `ask-${f.name}`;
      let input;
      if (f.type === "select") input = h("select", { id, name: f.name }, f.options.map((o) => h("option", { value: o }, o)));
      else if (f.type === "textarea") input = h("textarea", { id, name: f.name, rows: 3, required: f.required !== false });
      else input = h("input", { id, name: f.name, type: f.type || "text", required: f.required !== false,
        autocomplete: f.type === "password" ? "current-password" : "off" });
      return h("label", { for: id }, f.label, input);
    });
    const dialog = h("dialog", { "aria-labelledby": "ask-title" });
    const form = h("form", { method: "dialog" }, h("h2", { id: "ask-title" }, title),
      note ? h("p", { class: "muted" }, note) : null, inputs,
      h("div", { class: "buttons" },
        h("button", { type: "button", class: "secondary", onclick: () => { dialog.close(); } }, "Cancel"),
        h("button", { type: "submit" }, submit)));
    let result = null;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!form.reportValidity()) return;
      result = Object.fromEntries(new FormData(form).entries());
      dialog.close();
    });
    dialog.addEventListener("close", () => { dialog.remove(); resolve(result); });
    dialog.append(form);
    document.body.append(dialog);
    dialog.showModal();
  });
}

export const SIGN_FIELDS = [
  { name: "password", label: "Your password (e-signature)", type: "password" },
  { name: "meaning", label: "Meaning of this signature", type: "select", options: ["approved", "reviewed", "responsible"] },
];
export const SIGN_NOTE = "This action needs an electronic signature (21 CFR Part 11): re-enter your password and say what it means.";

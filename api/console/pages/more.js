// Investigations, CAPA and recall campaigns: shown when the server has those APIs
// (they arrive separately); otherwise the page says they are not available.
import { ApiError, get } from "../api.js";
import { empty, fmtTime, h, page, problemBox, progress, table } from "../ui.js";

function listOf(found, key) {
  if (Array.isArray(found)) return found;
  return found[key] || found.items || found.results || [];
}

function bar(label, value, total) {
  return h("div", {}, h("div", { class: "muted" }, `${label}: ${value} of ${total}`),
    h("progress", { max: total || 1, value: value || 0, "aria-label": `${label}: ${value} of ${total}` }));
}

function generic(title, path, key, columns) {
  return {
    async render() {
      const box = h("section", { class: "card" }, progress(`Loading ${title.toLowerCase()}…`));
      page(title, box);
      try {
        const rows = listOf(await get(path), key);
        box.replaceChildren(rows.length ? table(columns, rows, { caption: title }) : empty(`No ${title.toLowerCase()} yet.`));
      } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 405)) {
          box.replaceChildren(empty(`${title} are not available on this server yet: the API ${path} is not installed.`));
        } else box.replaceChildren(problemBox(err));
      }
    },
  };
}

const common = [{ label: "Id", render: (r) => h("code", {}, r.id || "—") }, { label: "Title", render: (r) => r.title || r.name || r.summary || "—" },
  { label: "State", render: (r) => r.state || r.status || "—" }, { label: "Opened", render: (r) => fmtTime(r.created || r.opened) }];

export const investigations = generic("Investigations", "/v1/investigations", "investigations", common);
export const capas = generic("CAPA", "/v1/capas", "capas", common);
export const recalls = generic("Recalls", "/v1/recalls", "recalls", [...common, {
  label: "Campaign progress", render: (r) => {
    const p = r.progress || r;
    const total = p.total ?? p.consignees ?? p.notices;
    return total === undefined ? "—" : h("div", {}, bar("notified", p.notified ?? 0, total), bar("responded", p.responded ?? 0, total), bar("returned", p.returned ?? 0, total));
  },
}]);

// The console shell: log-in, navigation by permission, and a hash router (#/page/arg).
import { ApiError, del, get, post } from "./api.js";
import { h, page, problemBox } from "./ui.js";
import * as search from "./pages/search.js";
import * as serial from "./pages/serial.js";
import * as scope from "./pages/scope.js";
import * as alerts from "./pages/alerts.js";
import * as holds from "./pages/holds.js";
import * as audit from "./pages/audit.js";
import * as partner from "./pages/partner.js";
import * as investigations from "./pages/investigations.js";
import * as capas from "./pages/capas.js";
import * as recalls from "./pages/recalls.js";

export const session = { me: null };

// name, title, permission needed, partner-only, module
const PAGES = [
  ["search", "Search", "identifiers:read", false, search],
  ["serial", "Serial", "serials:read", false, serial, true],
  ["scope", "Recall scope", "recalls:read", false, scope],
  ["alerts", "Alerts", "alerts:read", false, alerts],
  ["holds", "Holds", "holds:read", false, holds],
  ["investigations", "Investigations", "investigations:read", false, investigations],
  ["capas", "CAPA", "capa:read", false, capas],
  ["recalls", "Recalls", "recalls:read", false, recalls],
  ["audit", "Audit", "audit:read", false, audit],
  ["partner", "Verify", "verify:read", true, partner],
  // what the Digital Link resolver links to for lots and containers: their recall scope, or search
  ["lot", "Lot", "identifiers:read", false, lotOrContainer("lot"), true],
  ["container", "Container", "identifiers:read", false, lotOrContainer("container"), true],
];

function lotOrContainer(kind) {
  return { render(ctx) {
    location.replace(can("recalls:read") && !isPartner() ? `#/scope?kind=${kind}&id=${encodeURIComponent(ctx.arg)}` : `#/search/${encodeURIComponent(ctx.arg)}`);
  } };
}

export function can(permission) {
  return !!session.me && session.me.permissions.includes(permission);
}

export function isPartner() {
  return !!session.me && session.me.roles.includes("partner");
}

function visible() {
  return PAGES.filter(([, , perm, partnerOnly]) => can(perm) && (!isPartner() || partnerOnly || perm === "identifiers:read"))
    .filter(([name]) => !(name === "partner" && !isPartner() && can("serials:read")));
}

function renderNav(current) {
  const nav = document.getElementById("nav");
  nav.replaceChildren(...visible().filter((p) => !p[5]).map(([name, title]) =>
    h("a", { href: `#/${name}`, "aria-current": name === current ? "page" : null }, title)),
  session.me && !isPartner() ? h("a", { href: "/docs" }, "API docs") : "");
  const who = document.getElementById("who");
  if (!session.me) return who.replaceChildren();
  who.replaceChildren(h("span", {}, session.me.user),
    h("span", { class: "role" }, session.me.roles.join(", ").replaceAll("_", " ")),
    h("button", { type: "button", onclick: logout }, "Log out"));
}

async function logout() {
  await del("/v1/session").catch(() => null);
  session.me = null;
  location.hash = "#/";
  route();
}

function loginPage() {
  renderNav(null);
  let mode = "password";
  const box = h("div", { class: "card login" });
  const draw = (error) => {
    const fields = mode === "password"
      ? [h("label", { for: "login-user" }, "User name", h("input", { id: "login-user", name: "user", autocomplete: "username", required: true })),
        h("label", { for: "login-password" }, "Password", h("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true }))]
      : [h("label", { for: "login-key" }, "API key", h("input", { id: "login-key", name: "api_key", type: "password", autocomplete: "off", required: true }))];
    const form = h("form", { "aria-label": "Log in" }, ...fields, h("button", { type: "submit" }, "Log in"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = Object.fromEntries(new FormData(form).entries());
      try {
        session.me = await post("/v1/session", body);
        route();
      } catch (err) {
        draw(err);
      }
    });
    const tab = (m, label) => h("button", { type: "button", role: "tab", "aria-selected": String(mode === m),
      onclick: () => { mode = m; draw(); } }, label);
    box.replaceChildren(h("h2", {}, "Log in"),
      h("p", { class: "muted" }, "Use your tracegraph user and password, or an API key issued to you."),
      h("div", { class: "tabs", role: "tablist", "aria-label": "How to log in" }, tab("password", "User and password"), tab("key", "API key")),
      error ? problemBox(error) : "", form);
    form.querySelector("input").focus();
  };
  page("tracegraph console", box);
  draw();
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [name, ...rest] = raw.split("/");
  const [arg, query] = rest.join("/").split("?");
  return { name: name.split("?")[0], arg: arg ? decodeURIComponent(arg) : "", query: new URLSearchParams(raw.split("?")[1] || query || "") };
}

export async function route() {
  if (!session.me) {
    try {
      session.me = await get("/v1/session");
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return loginPage();
      page("tracegraph console", problemBox(err));
      return;
    }
  }
  let { name, arg, query } = parseHash();
  const pages = visible();
  let found = pages.find((p) => p[0] === name);
  if (!found && pages.length) {
    // A page this role may not open falls back to its first page, without the other page's argument:
    // search would otherwise run it and send a partner on to that serial.
    found = pages[0];
    [arg, query] = ["", new URLSearchParams()];
    if (name) history.replaceState(null, "", `#/${found[0]}`);
  }
  if (!found) {
    renderNav(null);
    page("Nothing to show", h("p", {}, "Your role has no console pages. Use the API, documented at ", h("a", { href: "/docs" }, "/docs"), "."));
    return;
  }
  renderNav(["serial", "lot", "container"].includes(found[0]) ? "search" : found[0]);
  try {
    await found[4].render({ arg, query, session, can, isPartner });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { session.me = null; return loginPage(); }
    page(found[1], problemBox(err));
  }
  document.getElementById("main").focus({ preventScroll: true });
}

// /console/serial/<id> (what the Digital Link resolver links to) opens the hash route.
const deep = location.pathname.match(/^\/console\/([a-z]+)\/(.+)$/);
if (deep) {
  history.replaceState(null, "", `/#/${deep[1]}/${deep[2]}`);
}
window.addEventListener("hashchange", route);
route();

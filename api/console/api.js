// Calls to the tracegraph API with the session cookie. Writes echo the CSRF cookie in a
// header (the server refuses cookie writes without it); errors become ApiError with the
// problem+json detail, so pages can show what went wrong and what to do.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function csrf() {
  const hit = document.cookie.split("; ").find((c) => c.startsWith("tg_csrf="));
  return hit ? decodeURIComponent(hit.slice(8)) : "";
}

export function enc(id) {
  return encodeURIComponent(id);
}

function url(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === "") continue;
    for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function problemOf(response) {
  try {
    const body = await response.json();
    if (Array.isArray(body.errors) && body.errors.length && !body.detail) {
      body.detail = body.errors.map((e) => `${e.field || ""} ${e.message || e.msg || ""}`.trim()).join("; ");
    }
    return body;
  } catch {
    return { title: response.statusText || "Error", detail: `the server answered ${response.status}` };
  }
}

export async function request(method, path, { query, body, raw } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrf();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url(path, query), {
      method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, { title: "Network error", detail: "the server could not be reached: check your connection and retry" });
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

export const get = (path, query) => request("GET", path, { query });
export const post = (path, body, query) => request("POST", path, { body, query });
export const del = (path) => request("DELETE", path);
export const put = (path, body) => request("PUT", path, { body });
export const patch = (path, body) => request("PATCH", path, { body });

// A multipart upload (evidence files): the browser sets the boundary; CSRF as for other writes.
export async function upload(path, form) {
  let response;
  try {
    response = await fetch(path, { method: "POST", headers: { Accept: "application/json", "X-CSRF-Token": csrf() },
      credentials: "same-origin", body: form });
  } catch (err) {
    throw new ApiError(0, { title: "Network error", detail: "the server could not be reached: check your connection and retry" });
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.json();
}

// Download a POST answer as a file (exports): the browser saves it under the server's name.
export async function download(path, body, query, fallbackName) {
  const response = await request("POST", path, { body, query, raw: true });
  const blob = await response.blob();
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || fallbackName;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  return { name, size: blob.size };
}

// planforge serve: a form generated from the spec's JSON Schema, checked by the server as the
// user types, with the key figures, warnings, a deck preview and downloads beside it.
// Plain browser JavaScript, no library and nothing loaded from the internet.
"use strict";

const S = {
  schema: null, data: {}, labels: {}, lang: "zh-CN", name: "brand.yaml",
  tab: null, errors: [], valid: false, dirty: false, seq: 0, previewSeq: 0, langKnown: false,
};

// The server's messages (errors, warnings, refusals) in the page's language: every request
// says it in Accept-Language. Before the spec is read the page has no language yet, and "*"
// lets the server follow the spec's meta.locale.
function api(url, options) {
  const opts = Object.assign({}, options || {});
  opts.headers = Object.assign({"Accept-Language": S.langKnown ? S.lang : "*"}, opts.headers || {});
  return fetch(url, opts);
}
const LONG_TEXT = new Set(["story", "intro", "overview", "description", "presale", "aftersale",
  "business", "summary", "strengths", "weaknesses", "mitigation", "risk", "text", "goal",
  "experience", "positioning"]);

// -- words --------------------------------------------------------------------------------
function t(key, vars) {
  const table = window.PF_I18N[S.lang] || window.PF_I18N.en;
  let text = table[key] !== undefined ? table[key] : (window.PF_I18N.en[key] || key);
  for (const [k, v] of Object.entries(vars || {})) text = text.replace("{" + k + "}", v);
  return text;
}
function titleOf(node, key) {
  const title = node.title || key;
  return (window.PF_I18N[S.lang].titles || {})[title] || title;
}
function enumLabel(values, value) {
  const own = (window.PF_I18N[S.lang].enums || {})[value];
  if (own) return own;
  for (const group of S.labels[S.lang] || []) {
    if (values.every((v) => typeof v === "string" && v in group)) return group[value];
  }
  return String(value);
}
function applyWords() {
  document.documentElement.lang = S.lang;
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  document.getElementById("tagline").textContent = t("tagline");
  document.getElementById("lang").value = S.lang;
}

// -- the schema ---------------------------------------------------------------------------
function resolve(node) {
  if (!node) return {};
  if (node.$ref) {
    const def = S.schema.$defs[node.$ref.split("/").pop()];
    const rest = Object.assign({}, node);
    delete rest.$ref;
    return Object.assign({}, resolve(def), rest);
  }
  return node;
}
function branches(node) {
  return (node.anyOf || node.oneOf || []).map(resolve);
}
function kindOf(node) {
  if (node.const !== undefined) return "const";
  if (node.enum) return "enum";
  const type = node.type;
  if (type === "object" || node.properties) return "object";
  if (type === "array") return "array";
  if (type === "boolean") return "boolean";
  if (type === "integer") return "integer";
  if (type === "number") return "number";
  if (node.anyOf || node.oneOf || Array.isArray(type)) return "scalar";
  if (node.format === "date") return "date";
  return "text";
}
function acceptsNumber(node) {
  if (["integer", "number"].includes(node.type)) return true;
  if (Array.isArray(node.type) && node.type.some((x) => x === "number" || x === "integer")) return true;
  return branches(node).some(acceptsNumber);
}

// -- data at a path -----------------------------------------------------------------------
function getAt(path) {
  let v = S.data;
  for (const p of path) { if (v == null) return undefined; v = v[p]; }
  return v;
}
function setAt(path, value) {
  let v = S.data;
  for (let i = 0; i < path.length - 1; i++) {
    const p = path[i];
    if (v[p] == null || typeof v[p] !== "object") v[p] = typeof path[i + 1] === "number" ? [] : {};
    v = v[p];
  }
  const last = path[path.length - 1];
  if (value === undefined) { if (Array.isArray(v)) v[last] = undefined; else delete v[last]; }
  else v[last] = value;
}
function pathKey(path) { return path.join("."); }
// "$.targets.months[3].gmv" -> "targets.months.3.gmv"
function problemKey(jsonPath) {
  return (jsonPath || "").replace(/^\$\.?/, "").replace(/\[(\d+)\]/g, ".$1")
    .replace(/\['([^']*)'\]/g, ".$1").replace(/^\./, "");
}
// What the server gets: no empty strings, lists or objects (a field left blank is absent).
function pruned(value) {
  if (Array.isArray(value)) {
    return value.map(pruned).filter((v) => v !== undefined);
  }
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const p = pruned(v);
      if (p === undefined) continue;
      if (Array.isArray(p) && p.length === 0) continue;
      if (p && typeof p === "object" && !Array.isArray(p) && Object.keys(p).length === 0) continue;
      out[k] = p;
    }
    return out;
  }
  if (value === "" || value === null) return undefined;
  return value;
}
function specJSON() {
  const data = pruned(S.data) || {};
  data.planforge = 1;
  return JSON.stringify(data);
}

// -- the form -----------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}
function renderAll() {
  applyWords();
  document.getElementById("spec-name").textContent = S.name;
  const root = S.schema;
  const sections = Object.keys(root.properties).filter((k) => kindOf(resolve(root.properties[k])) !== "const");
  if (!S.tab || !sections.includes(S.tab)) S.tab = sections[0];
  const tabs = document.getElementById("tabs");
  tabs.replaceChildren(...sections.map((key) => {
    const node = resolve(root.properties[key]);
    const req = (root.required || []).includes(key);
    return el("button", {type: "button", role: "tab", class: "tab" + (key === S.tab ? " active" : ""),
      "data-tab": key, "aria-selected": key === S.tab ? "true" : "false",
      onclick: () => { S.tab = key; renderAll(); }},
      titleOf(node, key), req ? el("span", {class: "req"}, " *") : null,
      el("span", {class: "dot", hidden: true}));
  }));
  const form = document.getElementById("form");
  const node = resolve(root.properties[S.tab]);
  form.replaceChildren(renderNode(node, [S.tab], S.tab, false, true));
  showErrors();
}
function field(node, path, key, required, control) {
  const desc = node.description || "";
  return el("div", {class: "field", "data-key": pathKey(path)},
    el("label", {for: "in-" + pathKey(path), title: desc},
      titleOf(node, key), required ? el("span", {class: "req", title: t("required")}, " *") : null),
    control,
    desc ? el("small", {class: "help"}, desc) : null,
    el("div", {class: "error", role: "alert"}));
}
function renderNode(node, path, key, required, top) {
  node = resolve(node);
  const kind = kindOf(node);
  if (kind === "object") return renderObject(node, path, key, top);
  if (kind === "array") return renderArray(node, path, key, required);
  return field(node, path, key, required, renderInput(node, path, key, kind));
}
function renderObject(node, path, key, top, label) {
  const required = node.required || [];
  const box = el(top ? "div" : "fieldset", {class: "object", "data-key": pathKey(path)});
  if (!top) box.append(el("legend", {title: node.description || ""}, label || titleOf(node, key)));
  else {
    box.append(el("h2", {class: "section-title"}, titleOf(node, key)));
    if (node.description) box.append(el("p", {class: "section-help"}, node.description));
  }
  box.append(el("div", {class: "error", role: "alert"}));
  for (const [k, child] of Object.entries(node.properties || {})) {
    box.append(renderNode(child, path.concat([k]), k, required.includes(k)));
  }
  return box;
}
function renderArray(node, path, key, required) {
  const items = resolve(node.items || {});
  const list = getAt(path) || [];
  const box = el("fieldset", {class: "array", "data-key": pathKey(path)},
    el("legend", {title: node.description || ""}, titleOf(node, key),
      required ? el("span", {class: "req"}, " *") : null));
  if (node.description) box.append(el("small", {class: "help"}, node.description));
  box.append(el("div", {class: "error", role: "alert"}));
  const itemTitle = titleOf(items, t("item"));
  if (!list.length) box.append(el("p", {class: "empty"}, t("empty_list")));
  list.forEach((_, i) => {
    const ipath = path.concat([i]);
    const kind = kindOf(items);
    const body = kind === "object"
      ? renderObject(items, ipath, key, false, itemTitle + " " + (i + 1))
      : el("div", {class: "field inline", "data-key": pathKey(ipath)},
          renderInput(items, ipath, key, kind), el("div", {class: "error", role: "alert"}));
    const tools = el("div", {class: "item-tools"},
      el("button", {type: "button", class: "small", title: t("up"), "aria-label": t("up"),
        disabled: i === 0, onclick: () => moveItem(path, i, -1)}, "↑"),
      el("button", {type: "button", class: "small", title: t("down"), "aria-label": t("down"),
        disabled: i === list.length - 1, onclick: () => moveItem(path, i, 1)}, "↓"),
      el("button", {type: "button", class: "small danger", title: t("remove"),
        "aria-label": t("remove"), onclick: () => removeItem(path, i)}, "✕"));
    box.append(el("div", {class: "item " + kind}, body, tools));
  });
  box.append(el("button", {type: "button", class: "add", "data-add": pathKey(path),
    onclick: () => addItem(path, items)}, "+ " + t("add") + " " + itemTitle));
  return box;
}
function addItem(path, items) {
  const list = (getAt(path) || []).slice();
  list.push(kindOf(items) === "object" ? {} : "");
  setAt(path, list);
  changed(true);
}
function removeItem(path, i) {
  const list = (getAt(path) || []).slice();
  list.splice(i, 1);
  setAt(path, list);
  changed(true);
}
function moveItem(path, i, by) {
  const list = (getAt(path) || []).slice();
  const [x] = list.splice(i, 1);
  list.splice(i + by, 0, x);
  setAt(path, list);
  changed(true);
}
function shown(value) {
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
function renderInput(node, path, key, kind) {
  const id = "in-" + pathKey(path);
  const value = getAt(path);
  const expected = node["x-expected"] || "";
  if (kind === "enum") {
    const sel = el("select", {id, name: pathKey(path), "data-path": JSON.stringify(path),
      onchange: (e) => { setAt(path, e.target.value === "" ? undefined : e.target.value); changed(); }},
      el("option", {value: ""}, "—"));
    for (const v of node.enum) {
      sel.append(el("option", {value: v, selected: value === v}, enumLabel(node.enum, v)));
    }
    return sel;
  }
  if (kind === "boolean") {
    return el("input", {id, type: "checkbox", name: pathKey(path), checked: value === true,
      "data-path": JSON.stringify(path),
      onchange: (e) => { setAt(path, e.target.checked ? true : undefined); changed(); }});
  }
  const isImage = /image/i.test(node.title || "") && !acceptsNumber(node);
  const attrs = {id, name: pathKey(path), "data-path": JSON.stringify(path),
    placeholder: expected, value: shown(value),
    oninput: (e) => { setAt(path, coerce(node, kind, e.target.value)); changed(); }};
  let input;
  if (kind === "text" && LONG_TEXT.has(String(key))) {
    input = el("textarea", Object.assign({rows: 3}, attrs));
    input.value = shown(value);
  } else {
    input = el("input", Object.assign({type: kind === "date" ? "date" : "text",
      inputmode: kind === "integer" || kind === "number" ? "decimal" : undefined}, attrs));
  }
  if (!isImage) return input;
  const preview = el("img", {class: "thumb", alt: "", src: value ? "/assets/" + value : undefined,
    hidden: !value});
  const file = el("input", {type: "file", accept: "image/png,image/jpeg", hidden: true,
    onchange: (e) => uploadImage(e.target.files[0], path)});
  return el("div", {class: "image-field"}, input,
    el("button", {type: "button", class: "small", onclick: () => file.click()}, t("upload")),
    file, preview);
}
function coerce(node, kind, text) {
  const s = text.trim();
  if (s === "") return undefined;
  if (kind === "integer") return /^-?\d+$/.test(s) ? Number(s) : text;
  if (kind === "number") return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : text;
  if (kind === "scalar" && acceptsNumber(node) && /^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return text;
}
async function uploadImage(file, path) {
  if (!file) return;
  const r = await api("/api/image?name=" + encodeURIComponent(file.name),
    {method: "POST", body: file});
  const got = await r.json();
  if (!r.ok) { toast((got.errors || [{}])[0].message || r.statusText, true); return; }
  setAt(path, got.path);
  changed(true);
}

// -- checking as the user types -----------------------------------------------------------
let checkTimer = null;
function changed(rerender) {
  S.dirty = true;
  document.getElementById("dirty").hidden = false;
  if (rerender) renderAll();
  clearTimeout(checkTimer);
  checkTimer = setTimeout(runCheck, 400);
}
async function runCheck() {
  const seq = ++S.seq;
  setStatus(t("checking"), "busy");
  let r, got;
  try {
    r = await api("/api/check", {method: "POST", body: specJSON(),
      headers: {"Content-Type": "application/json"}});
    got = await r.json();
  } catch (e) {
    if (seq === S.seq) setStatus(t("server_down"), "bad");
    return;
  }
  if (seq !== S.seq) return;  // a newer check is on its way
  // The envelope of `planforge check --format json`: one file, its figures and diagnostics.
  // Refusals before the check (too large, another site) carry {errors} instead.
  const entry = (got.files || [])[0];
  const diagnostics = entry ? entry.diagnostics : (got.errors || []);
  if (r.ok) {
    S.errors = [];
    S.valid = true;
    setStatus(t("valid"), "good");
    showReport(entry.figures, diagnostics);
    schedulePreview();
  } else {
    S.errors = diagnostics.filter((d) => d.severity === "error");
    S.valid = false;
    setStatus(t("invalid", {n: S.errors.length}), "bad");
  }
  showErrors();
}
function setStatus(text, cls) {
  const p = document.getElementById("status");
  p.textContent = text;
  p.className = cls || "";
  document.body.dataset.valid = S.valid ? "yes" : "no";
}
function showErrors() {
  document.querySelectorAll(".field.has-error, .object.has-error, .array.has-error")
    .forEach((f) => f.classList.remove("has-error"));
  document.querySelectorAll(".error").forEach((e) => { e.textContent = ""; });
  document.querySelectorAll("#tabs .dot").forEach((d) => { d.hidden = true; });
  const list = document.getElementById("errors");
  list.replaceChildren();
  for (const p of S.errors) {
    const key = problemKey(p.path);
    list.append(el("li", {class: "error-item", onclick: () => focusField(key)},
      (p.path ? p.path + ": " : "") + p.message));
    const tab = key.split(".")[0];
    const dot = document.querySelector(`#tabs [data-tab="${CSS.escape(tab)}"] .dot`);
    if (dot) dot.hidden = false;
    let parts = key ? key.split(".") : [];
    while (parts.length) {
      const box = document.querySelector(`[data-key="${CSS.escape(parts.join("."))}"]`);
      if (box) {
        box.classList.add("has-error");
        const slot = box.querySelector(":scope > .error");
        if (slot) slot.textContent = (slot.textContent ? slot.textContent + " · " : "") + p.message;
        break;
      }
      parts = parts.slice(0, -1);
    }
  }
}
function focusField(key) {
  const tab = key.split(".")[0];
  if (tab && tab !== S.tab && S.schema.properties[tab]) { S.tab = tab; renderAll(); }
  const input = document.getElementById("in-" + key) ||
    document.querySelector(`[data-key="${CSS.escape(key)}"]`);
  if (input) { input.scrollIntoView({block: "center"}); if (input.focus) input.focus(); }
}

// -- figures ------------------------------------------------------------------------------
function money(text) {
  if (text === null || text === undefined) return "—";
  const d = Number(text);
  if (S.lang.startsWith("zh")) {
    if (d >= 1e8) return trim(d / 1e8) + "亿";
    if (d >= 1e4) return trim(d / 1e4) + "万";
    return d.toLocaleString("zh-CN") + "元";
  }
  return "¥" + d.toLocaleString("en-US", {maximumFractionDigits: 2});
}
function trim(x) { return String(Math.round(x * 10000) / 10000); }
function pct(text) {
  if (text === null || text === undefined) return "—";
  return trim(Number(text) * 100).replace(/(\.\d)\d+$/, "$1") + "%";
}
function showReport(report, diagnostics) {
  const dl = document.getElementById("figures");
  dl.replaceChildren();
  const y = report.year || {};
  const rows = [["year_gmv", money(y.gmv)], ["year_budget", money(y.budget)],
    ["ratio", pct(y.budget_ratio)], ["roi", y.roi == null ? "—" : String(Number(y.roi))],
    ["orders", y.orders == null ? "—" : Number(y.orders).toLocaleString()],
    ["visitors", y.visitors == null ? "—" : Number(y.visitors).toLocaleString()]];
  for (const [k, v] of rows) dl.append(el("dt", {}, t(k)), el("dd", {"data-figure": k}, v));
  if (report.months_derived) dl.append(el("dd", {class: "note"}, t("months_derived")));
  const warn = document.getElementById("warnings");
  warn.replaceChildren();
  for (const w of diagnostics) {
    warn.append(el("li", {class: "warning-item", onclick: () => focusField(problemKey(w.path))},
      (w.code ? w.code + " " : "") + (w.path ? w.path + ": " : "") + w.message));
  }
  if (!diagnostics.length) warn.append(el("li", {class: "none"}, t("no_warnings")));
  const r = report.readiness;
  document.getElementById("readiness").textContent = r
    ? t("readiness", {met: r.met, missing: r.missing, na: r.not_applicable}) : "";
}

// -- preview ------------------------------------------------------------------------------
let previewTimer = null;
function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(runPreview, 600);
}
function progress(text) {
  const p = document.getElementById("progress");
  p.hidden = !text;
  p.querySelector("span").textContent = text || "";
}
async function runPreview() {
  const seq = ++S.previewSeq;
  progress(t("preview_building"));
  let r, got;
  try {
    r = await api("/api/preview", {method: "POST", body: specJSON(),
      headers: {"Content-Type": "application/json"}});
    got = await r.json();
  } catch (e) { progress(""); return; }
  if (seq !== S.previewSeq) return;
  if (!r.ok) { progress(""); return; }
  const list = document.getElementById("preview");
  list.replaceChildren(...got.slides.map((s) => el("li", {class: "slide", "data-n": s.n},
    el("div", {class: "slide-pic"}),
    el("div", {class: "slide-title"}, s.title || "—"),
    el("small", {}, [s.tables.length ? s.tables.length + " " + t("table") : "",
      s.charts ? s.charts + " " + t("chart") : ""].filter(Boolean).join(" · ")))));
  list.dataset.slides = got.slides.length;
  if (!got.thumbnails) { progress(""); return; }
  progress(t("preview_thumbs"));
  for (let i = 0; i < 240 && seq === S.previewSeq; i++) {
    const st = await (await api("/api/thumbs/" + got.key)).json();
    if (st.status === "ready") {
      list.querySelectorAll(".slide").forEach((li) => {
        li.querySelector(".slide-pic").replaceChildren(el("img", {alt: "",
          src: `/api/thumbs/${got.key}/${li.dataset.n}.png`}));
      });
      break;
    }
    if (st.status !== "pending") break;
    await new Promise((ok) => setTimeout(ok, 1000));
  }
  if (seq === S.previewSeq) progress("");
}

// -- downloads, open, save ----------------------------------------------------------------
async function download(button) {
  const fmt = button.dataset.format, doc = button.dataset.doc;
  const status = document.getElementById("download-status");
  status.textContent = t("building", {what: button.textContent});
  button.disabled = true;
  try {
    const r = await api(`/api/build?format=${fmt}&doc=${doc}`, {method: "POST",
      body: specJSON(), headers: {"Content-Type": "application/json"}});
    if (!r.ok) {
      const got = await r.json();
      S.errors = got.errors || [];
      showErrors();
      status.textContent = t("build_failed", {msg: (S.errors[0] || {}).message || r.statusText});
      return;
    }
    const blob = await r.blob();
    const name = (/filename="([^"]+)"/.exec(r.headers.get("Content-Disposition") || "") || [])[1]
      || "planforge." + fmt;
    const a = el("a", {href: URL.createObjectURL(blob), download: name});
    document.body.append(a);
    a.click();
    a.remove();
    status.textContent = t("built", {name});
  } finally {
    button.disabled = false;
  }
}
async function save() {
  const r = await api("/api/spec", {method: "PUT", body: specJSON(),
    headers: {"Content-Type": "application/json"}});
  const got = await r.json();
  if (r.ok) {
    S.dirty = false;
    document.getElementById("dirty").hidden = true;
    toast(t("saved", {name: got.saved}));
  } else {
    toast(t("save_failed", {msg: (got.errors || [{}])[0].message}), true);
  }
}
async function openFile(file) {
  if (!file) return;
  const r = await api("/api/open?name=" + encodeURIComponent(file.name),
    {method: "POST", body: file});
  const got = await r.json();
  if (!r.ok) {
    S.errors = got.errors || [];
    setStatus(t("invalid", {n: S.errors.length}), "bad");
    showErrors();
    return;
  }
  loadData(got.data, got.name);
  toast(t("opened", {name: got.name}));
}
let toastTimer = null;
function toast(text, bad) {
  const box = document.getElementById("toast");
  box.textContent = text;
  box.className = bad ? "bad" : "";
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
}
function loadData(data, name) {
  S.data = data || {planforge: 1, meta: {}};
  S.name = name || S.name;
  const locale = (S.data.meta || {}).locale;
  const asked = new URLSearchParams(location.search).get("lang");
  S.lang = asked || (locale === "en" ? "en" : "zh-CN");
  S.langKnown = true;
  renderAll();
  runCheck();
}

async function start() {
  const [schema, labels, spec] = await Promise.all([
    api("/api/schema").then((r) => r.json()),
    api("/api/labels").then((r) => r.json()),
    api("/api/spec").then((r) => r.json()),
  ]);
  S.schema = schema;
  S.labels = labels;
  document.getElementById("lang").addEventListener("change", (e) => {
    S.lang = e.target.value; renderAll(); showErrors();
    runCheck();  // the server's messages in the new language
  });
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("open-file").addEventListener("change", (e) => openFile(e.target.files[0]));
  document.querySelectorAll("#downloads button").forEach((b) =>
    b.addEventListener("click", () => download(b)));
  window.addEventListener("beforeunload", (e) => { if (S.dirty) { e.preventDefault(); e.returnValue = t("unsaved"); } });
  loadData(spec.data, spec.name);
  if (spec.errors) { S.errors = spec.errors; showErrors(); }
}
start();

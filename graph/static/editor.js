// The endpoint's page: a query editor, the named queries as examples, results as a table.
// Every piece of text from the server reaches the page through textContent, never as HTML.
"use strict";

const SHORT = [
  ["https://w3id.org/escalation-graph/id/", "escid:"],
  ["https://w3id.org/escalation-graph/ontology#", "esc:"],
  ["https://w3id.org/escalation-graph/vocab/", "vocab:"],
];
let chosen = null; // the named query picked from the list, while its text is unedited

const byId = (id) => document.getElementById(id);

function make(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function shorten(value) {
  for (const [base, prefix] of SHORT) if (value.startsWith(base)) return prefix + value.slice(base.length);
  return value;
}

async function loadQuestions() {
  const list = byId("examples");
  try {
    const response = await fetch("/queries", { headers: { Accept: "application/json" } });
    const queries = await response.json();
    list.replaceChildren(...queries.map((query) => {
      const button = make("button", query.title, { type: "button", title: query.question });
      button.addEventListener("click", () => choose(query));
      const item = make("li");
      item.append(button);
      return item;
    }));
  } catch (error) {
    list.replaceChildren(make("li", `cannot list the questions: ${error}`, { class: "error" }));
  }
}

async function loadViews() {
  const list = byId("views");
  try {
    const views = await (await fetch("/views")).json();
    if (views.length === 0) {
      list.replaceChildren(make("li", "none", { class: "muted" }));
      return;
    }
    list.replaceChildren(...views.map((view) => {
      const item = make("li");
      item.append(make("a", view.name, { href: view.url, title: view.title }));
      return item;
    }));
  } catch (error) {
    list.replaceChildren(make("li", `cannot list the views: ${error}`, { class: "error" }));
  }
}

function choose(query) {
  chosen = query;
  byId("query").value = query.text;
  const form = byId("parameters");
  form.replaceChildren(...query.parameters.map((parameter) => {
    const label = make("label", `${parameter.name} (${parameter.type})`, { title: parameter.description });
    const input = make("input", undefined, {
      name: parameter.name,
      placeholder: parameter.optional ? "any" : "required",
    });
    input.value = parameter.default ?? "";
    label.append(input);
    return label;
  }));
  form.hidden = query.parameters.length === 0;
  byId("results").replaceChildren(make("p", query.question, { class: "muted" }));
}

function usingNamedQuery() {
  return chosen !== null && byId("query").value === chosen.text;
}

function namedQueryUrl(format) {
  const params = new URLSearchParams();
  for (const input of byId("parameters").querySelectorAll("input")) {
    if (input.value.trim() !== "") params.append(input.name, input.value.trim());
  }
  if (format) params.set("format", format);
  return `${chosen.url}?${params}`;
}

function showDownloads() {
  const links = byId("download");
  links.replaceChildren();
  for (const format of ["csv", "tsv", "json"]) {
    const href = usingNamedQuery()
      ? namedQueryUrl(format)
      : `/sparql?${new URLSearchParams({ query: byId("query").value, format })}`;
    links.append(make("a", format.toUpperCase(), { href, download: `result.${format}` }));
  }
}

function renderTable(document_) {
  const variables = document_.head.vars || [];
  const table = make("table");
  const header = make("tr");
  for (const variable of variables) header.append(make("th", variable));
  table.append(header);
  for (const binding of document_.results.bindings) {
    const row = make("tr");
    for (const variable of variables) {
      const term = binding[variable];
      const cell = make("td", term ? (term.type === "uri" ? shorten(term.value) : term.value) : "");
      if (term && (term.datatype || term["xml:lang"])) cell.title = term.datatype || `@${term["xml:lang"]}`;
      row.append(cell);
    }
    table.append(row);
  }
  return [table, document_.results.bindings.length];
}

async function run() {
  const results = byId("results");
  const status = byId("status");
  status.textContent = "running…";
  status.className = "muted";
  const started = performance.now();
  const accept = "application/sparql-results+json, text/turtle;q=0.9";
  let response;
  try {
    response = usingNamedQuery()
      ? await fetch(namedQueryUrl(), { headers: { Accept: accept } })
      : await fetch("/sparql", {
        method: "POST",
        headers: { Accept: accept, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ query: byId("query").value }),
      });
  } catch (error) {
    status.textContent = "";
    results.replaceChildren(make("p", `the server did not answer: ${error}`, { class: "error" }));
    return;
  }
  const elapsed = Math.round(performance.now() - started);
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    status.textContent = `HTTP ${response.status} after ${elapsed} ms`;
    status.className = "error";
    results.replaceChildren(make("p", await response.text(), { class: "error" }));
    return;
  }
  showDownloads();
  const parts = [];
  let summary;
  if (type.startsWith("application/sparql-results+json")) {
    const document_ = await response.json();
    if ("boolean" in document_) {
      parts.push(make("p", String(document_.boolean)));
      summary = "ASK";
    } else {
      const [table, rows] = renderTable(document_);
      parts.push(table);
      summary = `${rows} row(s)`;
    }
  } else {
    const text = await response.text();
    parts.push(make("pre", text));
    summary = `${text.split("\n").filter((line) => line.trim() !== "").length} line(s) of ${type.split(";")[0]}`;
  }
  const cap = response.headers.get("x-sparql-maxrows");
  if (cap) parts.unshift(make("p", `Only the first ${cap} results are shown: the server's cap cut the rest.`, { class: "warning" }));
  status.textContent = `${summary} in ${elapsed} ms`;
  status.className = "muted";
  results.replaceChildren(...parts);
}

document.addEventListener("DOMContentLoaded", () => {
  byId("run").addEventListener("click", run);
  byId("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  byId("query").addEventListener("input", () => {
    byId("parameters").hidden = !usingNamedQuery() || chosen.parameters.length === 0;
  });
  loadQuestions();
  loadViews();
});

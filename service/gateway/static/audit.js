/*
 * guardchat audit page (GET /audit): search the conversations by what the audit trail recorded
 * (time range, route, handoff reason, guard verdict, feedback), export the matches as JSON
 * Lines, and open one conversation's timeline with its trace ids and the hash chain's check,
 * through the auditor API with the auditor token. The token stays in sessionStorage (this tab
 * only). Server text is shown with textContent only.
 */
(() => {
  "use strict";

  const TOKEN_KEY = "guardchat-auditor-token";
  const SEARCH = "/v1/audit/conversations";
  const FILTERS = ["route", "reason", "verdict", "rating"];
  const $ = (id) => document.getElementById(id);
  const state = { cursor: null, query: null, selected: null };

  // ---------------------------------------------------------------- the API

  const { session, apiError, errorShower, el, when } = window.guardchatStaff;
  const store = { get: () => session.get(TOKEN_KEY), set: (value) => session.set(TOKEN_KEY, value) };

  async function request(path, accept = "application/json") {
    const response = await fetch(path, {
      headers: { Accept: accept, Authorization: `Bearer ${store.get()}` }, credentials: "omit",
    });
    if (response.ok) return response;
    throw await apiError(response);
  }

  const api = async (path) => (await request(path)).json();

  const showError = errorShower({
    role: "auditor", unreachable: "The service cannot be reached. Please try again.", signOut,
  });

  // ---------------------------------------------------------------- rendering helpers

  function tags(values) {
    if (!values.length) return document.createTextNode("—");
    return el("span", { class: "tags" }, values.map((v) => el("span", { class: `tag ${v}`, text: v })));
  }

  // ---------------------------------------------------------------- signing in and out

  function signIn(token) {
    store.set(token);
    $("signin").hidden = true;
    $("console").hidden = false;
    $("signout").hidden = false;
    search();
  }

  function signOut(message) {
    store.set("");
    Object.assign(state, { cursor: null, query: null, selected: null });
    $("console").hidden = true;
    $("signout").hidden = true;
    $("timeline").hidden = true;
    $("signin").hidden = false;
    $("token").value = "";
    $("token").focus();
    const alert = $("alert");
    alert.textContent = message || "";
    alert.hidden = !message;
  }

  // ---------------------------------------------------------------- searching

  function queryFromForm() {
    const query = new URLSearchParams();
    for (const name of ["since", "until"]) {
      const value = $(name).value;
      if (value) query.set(name, new Date(value).toISOString());
    }
    for (const name of FILTERS) {
      const value = $(name).value.trim();
      if (value) query.set(name, value);
    }
    return query;
  }

  async function search(event) {
    if (event) event.preventDefault();
    state.query = queryFromForm();
    state.cursor = null;
    $("rows").textContent = "";
    $("results-status").textContent = "Searching…";
    await loadPage();
  }

  async function loadPage() {
    const query = new URLSearchParams(state.query);
    if (state.cursor) query.set("cursor", state.cursor);
    try {
      const page = await api(`${SEARCH}?${query}`);
      for (const summary of page.conversations) $("rows").append(row(summary));
      state.cursor = page.next_cursor;
      showCount();
      showError(null);
    } catch (error) {
      $("results-status").textContent = "";
      showError(error);
    }
  }

  function showCount() {
    const count = $("rows").childElementCount;
    $("results").hidden = !count;
    $("more").hidden = !state.cursor;
    const more = state.cursor ? " (more to load)" : "";
    $("results-status").textContent = count
      ? `${count} conversation${count === 1 ? "" : "s"} found${more}.`
      : "No conversation matches these filters.";
  }

  function row(summary) {
    const id = summary.conversation_id;
    const open = el("button", { type: "button", class: "link", text: id, "aria-label": `Open the timeline of ${id}` });
    open.addEventListener("click", () => openTimeline(id));
    const tr = el("tr", { "data-id": id }, [
      el("td", { text: when(summary.started_at) }),
      el("td", {}, [open]),
      el("td", {}, [tags(summary.routes)]),
      el("td", {}, [tags(summary.intents)]),
      el("td", {}, [tags(summary.handoff_reasons)]),
      el("td", {}, [tags(summary.verdicts)]),
      el("td", {}, [tags(summary.ratings)]),
    ]);
    if (id === state.selected) tr.setAttribute("aria-current", "true");
    return tr;
  }

  async function exportLines() {
    try {
      const response = await request(`${SEARCH}?${queryFromForm()}`, "application/x-ndjson");
      const blob = await response.blob();
      const link = el("a", { href: URL.createObjectURL(blob), download: "guardchat-audit.jsonl" });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      showError(null);
    } catch (error) {
      showError(error);
    }
  }

  // ---------------------------------------------------------------- one conversation

  async function openTimeline(id) {
    state.selected = id;
    for (const tr of $("rows").querySelectorAll("tr")) {
      if (tr.dataset.id === id) tr.setAttribute("aria-current", "true");
      else tr.removeAttribute("aria-current");
    }
    try {
      const trail = await api(`${SEARCH}/${encodeURIComponent(id)}`);
      showTimeline(trail);
      showError(null);
    } catch (error) {
      showError(error);
    }
  }

  function showTimeline(trail) {
    $("timeline").hidden = false;
    $("timeline-title").textContent = `Timeline of ${trail.conversation_id}`;
    showChain(trail.chain, trail.events.length);
    const body = $("events");
    body.textContent = "";
    for (const event of trail.events) {
      body.append(el("tr", {}, [
        el("td", { text: String(event.seq) }),
        el("td", { text: when(event.at), title: event.at }),
        el("td", {}, [el("code", { text: event.kind })]),
        el("td", {}, [el("code", { text: event.trace_id })]),
        el("td", { class: "detail mono", text: JSON.stringify(event.detail) }),
      ]));
    }
    $("timeline-title").focus();
  }

  function showChain(chain, count) {
    const box = $("chain");
    box.textContent = "";
    box.className = `chain ${chain.intact ? "ok" : "broken"}`;
    if (chain.intact) {
      box.textContent = `Hash chain intact: all ${count} events verified.`;
      return;
    }
    box.append("Hash chain broken: this trail was altered after it was written.");
    box.append(el("ul", {}, chain.problems.map((problem) => el("li", { text: problem }))));
  }

  // ---------------------------------------------------------------- start

  function start() {
    $("signin-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const token = $("token").value.trim();
      if (token) signIn(token);
    });
    $("signout").addEventListener("click", () => signOut(""));
    $("search-form").addEventListener("submit", search);
    $("export").addEventListener("click", exportLines);
    $("more").addEventListener("click", loadPage);
    if (store.get()) signIn(store.get());
    else $("token").focus();
  }

  start();
})();

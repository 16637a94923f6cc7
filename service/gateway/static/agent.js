/*
 * guardchat agent console (GET /agent): the handoff queue, a ticket's case at a glance (intent,
 * category, handoff reasons, summary) and redacted transcript, claim, message and resolve, and
 * suggested replies (drafted by the model, checked like the bot's own) to edit, send or discard,
 * through the agent API with the agent token. Each ticket keeps its own unsent message.
 * The token stays in sessionStorage (this tab only). Server text is shown with textContent only.
 */
(() => {
  "use strict";

  const REFRESH_MS = 3000;
  const TOKEN_KEY = "guardchat-agent-token";
  const NAME_KEY = "guardchat-agent-name";
  const ROLES = { user: "Customer", assistant: "AI assistant", agent: "Agent" };
  const SOURCES = {
    model: "Suggested by the AI model and checked like its replies to customers.",
    knowledge: "Suggested from the knowledge base.",
    redirect: "This looks outside our business: the assistant's usual redirect.",
  };
  const MODEL_DOWN = "The AI model is unavailable: suggested from the knowledge base.";
  const $ = (id) => document.getElementById(id);

  const state = {
    filter: "open", selected: null, ticket: null, timer: null, shownTranscript: "", shownQueue: "",
    drafts: {}, // ticket id -> the unsent message typed for it
    suggestions: {}, // ticket id -> the suggestion its message started from
  };
  const enc = encodeURIComponent;

  const { session: store, ApiError, apiError, errorShower, el, when } = window.guardchatStaff;

  // ---------------------------------------------------------------- the API

  async function api(path, options = {}) {
    const headers = { Accept: "application/json", Authorization: `Bearer ${store.get(TOKEN_KEY)}` };
    if (options.body) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method: options.method || "GET",
      headers,
      body: options.body ? JSON.stringify(options.body) : undefined,
      credentials: "omit",
    });
    if (response.status === 204) return null;
    if (response.ok) return response.json();
    throw await apiError(response);
  }

  const showError = errorShower({
    role: "agent", unreachable: "The service cannot be reached. Retrying…", signOut,
  });

  // ---------------------------------------------------------------- rendering helpers

  function ago(iso) {
    const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
    if (seconds < 60) return "just now";
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
    if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
    return new Date(iso).toLocaleDateString();
  }

  function pill(node, status) {
    node.textContent = status;
    node.className = `pill ${status}`;
  }

  // ---------------------------------------------------------------- signing in and out

  function signIn(token, name) {
    store.set(TOKEN_KEY, token);
    if (name) store.set(NAME_KEY, name);
    $("signin").hidden = true;
    $("console").hidden = false;
    $("signout").hidden = false;
    showName();
    refresh();
    clearInterval(state.timer);
    state.timer = setInterval(refresh, REFRESH_MS);
  }

  function signOut(message) {
    store.set(TOKEN_KEY, "");
    clearInterval(state.timer);
    Object.assign(state, { selected: null, ticket: null, shownTranscript: "", shownQueue: "" });
    $("console").hidden = true;
    $("signout").hidden = true;
    $("who").hidden = true;
    $("signin").hidden = false;
    $("token").value = "";
    $("token").focus();
    const alert = $("alert");
    alert.textContent = message || "";
    alert.hidden = !message;
  }

  function showName() {
    const name = store.get(NAME_KEY);
    $("who").textContent = name ? `Signed in as ${name}` : "Signed in";
    $("who").hidden = false;
    if (!$("agent-name").value) $("agent-name").value = name;
  }

  // ---------------------------------------------------------------- the queue

  async function refresh() {
    try {
      await loadQueue();
      if (state.selected) await loadTicket(state.selected);
      showError(null);
    } catch (error) {
      showError(error);
    }
  }

  async function loadQueue() {
    const { handoffs } = await api(`/v1/handoffs?status=${encodeURIComponent(state.filter)}`);
    handoffs.sort((a, b) => (a.created_at < b.created_at ? -1 : 1)); // oldest waits longest: first
    const key = JSON.stringify([state.filter, state.selected, Math.floor(Date.now() / 60000), handoffs]);
    if (key === state.shownQueue) return; // unchanged: leave focus and scroll alone
    state.shownQueue = key;
    const list = $("queue");
    const focused = document.activeElement && document.activeElement.dataset.id;
    list.textContent = "";
    if (!handoffs.length) list.append(el("li", { class: "empty", text: `No ${state.filter} tickets.` }));
    for (const ticket of handoffs) list.append(el("li", {}, [ticketButton(ticket)]));
    const again = focused && [...list.querySelectorAll(".ticket")].find((b) => b.dataset.id === focused);
    if (again) again.focus();
  }

  function ticketButton(ticket) {
    const status = el("span", {});
    pill(status, ticket.status);
    const button = el("button", { type: "button", class: "ticket", "data-id": ticket.id }, [
      el("span", { class: "t1" }, [el("span", { text: ticket.intent || "unknown intent" }), status]),
      el("span", { class: "t2", text: ticket.reason }),
      el("span", { class: "t2", text: `${ago(ticket.created_at)}${ticket.agent ? ` · ${ticket.agent}` : ""}` }),
    ]);
    if (ticket.id === state.selected) button.setAttribute("aria-current", "true");
    button.addEventListener("click", () => select(ticket.id));
    return button;
  }

  function setFilter(status) {
    state.filter = status;
    for (const tab of document.querySelectorAll(".tabs button")) {
      tab.setAttribute("aria-pressed", String(tab.dataset.status === status));
    }
    loadQueue().catch(showError);
  }

  // ---------------------------------------------------------------- one ticket

  async function select(id) {
    if (state.selected && state.selected !== id) state.drafts[state.selected] = $("message").value;
    if (state.selected !== id) $("message").value = state.drafts[id] || "";
    state.selected = id;
    showSuggestion(id);
    state.shownTranscript = "";
    for (const button of document.querySelectorAll(".ticket")) {
      if (button.dataset.id === id) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    }
    try {
      await loadTicket(id);
      $("detail-title").focus();
    } catch (error) {
      showError(error);
    }
  }

  async function loadTicket(id) {
    const ticket = await api(`/v1/handoffs/${encodeURIComponent(id)}`);
    if (state.selected !== id) return; // another ticket was picked meanwhile
    state.ticket = ticket;
    $("no-ticket").hidden = true;
    $("ticket").hidden = false;
    $("detail-title").textContent = `Ticket ${ticket.id.slice(0, 8)}`;
    pill($("ticket-status"), ticket.status);
    const assist = ticket.assist || {};
    showReasons(assist.reasons || [ticket.reason]);
    $("f-intent").textContent = assist.intent || ticket.intent || "—";
    $("f-category").textContent = assist.category || "—";
    $("f-summary").textContent = assist.summary || ticket.summary || "—";
    $("f-agent").textContent = ticket.agent || "not claimed";
    $("f-created").textContent = when(ticket.created_at);
    $("f-conversation").textContent = ticket.conversation_id;
    showTranscript(ticket.transcript || []);
    $("claim-form").hidden = ticket.status !== "open";
    $("message-form").hidden = ticket.status !== "claimed";
  }

  function showReasons(reasons) {
    const box = $("f-reason");
    box.textContent = "";
    box.className = "dd-reasons";
    for (const reason of reasons.filter(Boolean)) box.append(el("code", { text: reason }));
    if (!box.childElementCount) box.textContent = "—";
  }

  function showTranscript(lines) {
    const key = JSON.stringify(lines);
    if (key === state.shownTranscript) return; // unchanged: keep the scroll position
    state.shownTranscript = key;
    const box = $("transcript");
    box.textContent = "";
    if (!lines.length) box.append(el("p", { class: "empty", text: "No messages yet." }));
    for (const line of lines) {
      box.append(el("div", { class: `line ${line.role}` }, [
        el("div", { class: "role", text: `${ROLES[line.role] || line.role} · ${when(line.at)}` }),
        el("div", { class: "text", text: line.content }),
      ]));
    }
    box.scrollTop = box.scrollHeight;
  }

  async function act(button, action) {
    button.disabled = true;
    try {
      await action();
      showError(null);
      await refresh();
    } catch (error) {
      showError(error);
    } finally {
      button.disabled = false;
    }
  }

  function claim(event) {
    event.preventDefault();
    const name = $("agent-name").value.trim();
    if (!name || !state.selected) return;
    store.set(NAME_KEY, name);
    showName();
    const id = state.selected;
    act(event.submitter || $("claim-form").querySelector("button"), async () => {
      await api(`/v1/handoffs/${encodeURIComponent(id)}/claim`, { method: "POST", body: { agent: name } });
      setFilter("claimed");
      $("message").focus();
    });
  }

  function send(event) {
    event.preventDefault();
    const content = $("message").value.trim();
    if (!content || !state.selected) return;
    const id = state.selected;
    const suggestion = state.suggestions[id];
    const body = suggestion ? { content, suggestion_id: suggestion.suggestion_id } : { content };
    act($("message-form").querySelector("button[type=submit]"), async () => {
      await api(`/v1/handoffs/${enc(id)}/messages`, { method: "POST", body });
      delete state.suggestions[id];
      state.drafts[id] = "";
      if (state.selected === id) {
        $("message").value = "";
        showSuggestion(id);
        $("message").focus();
      }
    });
  }

  // ---------------------------------------------------------------- suggested replies

  function note(text, isError = false) {
    $("suggestion-note").textContent = text;
    $("suggestion").classList.toggle("error", isError);
    $("suggestion").hidden = !text;
  }

  function showSuggestion(id) {
    const suggestion = state.suggestions[id];
    $("discard").hidden = !suggestion;
    if (!suggestion) return note("");
    const down = (suggestion.reasons || []).includes("model_unavailable");
    note(`${down ? MODEL_DOWN : SOURCES[suggestion.source] || ""} Edit it, or send it as is.`);
  }

  async function suggest() {
    const id = state.selected;
    const typed = $("message").value.trim();
    const current = state.suggestions[id];
    const own = typed && !(current && typed === current.text.trim());
    if (!id || (own && !window.confirm("Replace your message with a suggested reply?"))) return;
    $("suggest").disabled = true;
    note("Drafting a suggested reply…");
    const before = $("message").value;
    try {
      const suggestion = await api(`/v1/handoffs/${enc(id)}/suggestion`, { method: "POST" });
      state.suggestions[id] = suggestion;
      if (typedMeanwhile(id, before) && !window.confirm("A suggested reply is ready. Replace what you typed with it?")) {
        return dropSuggestion(id);
      }
      state.drafts[id] = suggestion.text;
      if (state.selected === id) useSuggestion(id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return showError(error);
      if (state.selected === id) note(suggestionError(error), true);
    } finally {
      $("suggest").disabled = false;
    }
  }

  /** The agent typed while the suggestion was being drafted (it takes a while on a CPU). */
  function typedMeanwhile(id, before) {
    const now = state.selected === id ? $("message").value : state.drafts[id] || "";
    return now.trim() !== "" && now !== before;
  }

  function useSuggestion(id) {
    $("message").value = state.suggestions[id].text;
    showSuggestion(id);
    $("message").focus();
  }

  function suggestionError(error) {
    if (!(error instanceof ApiError)) return "The service cannot be reached: no suggestion. Write the reply yourself.";
    return `No suggestion: ${error.message}`;
  }

  /** Record the suggestion as discarded, keeping whatever the agent typed. */
  async function dropSuggestion(id) {
    const suggestion = state.suggestions[id];
    delete state.suggestions[id];
    if (state.selected === id) showSuggestion(id);
    const path = `/v1/handoffs/${enc(id)}/suggestion/${enc(suggestion.suggestion_id)}/discard`;
    await api(path, { method: "POST" }).catch((error) => {
      if (!(error instanceof ApiError && error.status === 404)) throw error; // settled already
    });
  }

  function discard() {
    const id = state.selected;
    if (!state.suggestions[id]) return;
    act($("discard"), async () => {
      await dropSuggestion(id);
      state.drafts[id] = "";
      if (state.selected !== id) return;
      $("message").value = "";
      showSuggestion(id);
      $("message").focus();
    });
  }

  function resolve() {
    const id = state.selected;
    if (!id || !window.confirm("Resolve this ticket and hand the conversation back to the AI assistant?")) return;
    act($("resolve"), async () => {
      await api(`/v1/handoffs/${enc(id)}/resolve`, { method: "POST" });
      delete state.suggestions[id]; // the server discarded it
      state.drafts[id] = "";
      if (state.selected === id) {
        $("message").value = "";
        showSuggestion(id);
      }
    });
  }

  // ---------------------------------------------------------------- start

  function start() {
    $("signin-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const token = $("token").value.trim();
      if (token) signIn(token, $("signin-name").value.trim());
    });
    $("signout").addEventListener("click", () => signOut(""));
    for (const tab of document.querySelectorAll(".tabs button")) {
      tab.addEventListener("click", () => setFilter(tab.dataset.status));
    }
    $("claim-form").addEventListener("submit", claim);
    $("message-form").addEventListener("submit", send);
    $("message").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("message-form").requestSubmit();
    });
    $("resolve").addEventListener("click", resolve);
    $("suggest").addEventListener("click", suggest);
    $("discard").addEventListener("click", discard);
    $("detail-title").setAttribute("tabindex", "-1");
    $("signin-name").value = store.get(NAME_KEY);
    if (store.get(TOKEN_KEY)) signIn(store.get(TOKEN_KEY), "");
    else $("token").focus();
  }

  start();
})();

/*
 * guardchat website widget: one self-contained script, no dependencies, no external requests.
 *
 *   <script src="https://gateway/widget.js" data-endpoint="https://gateway"
 *           data-title="Acme support" data-color="#0b5fff" data-text-color="#fff" async></script>
 *
 * data-endpoint defaults to the origin this script came from; the colours default to blue on
 * white (a text colour that reads poorly on the brand colour is replaced by black or white).
 * Optional: data-greeting (the first bubble), data-position ("right" | "left").
 * A site on another origin than the gateway must be listed in GUARDCHAT_CORS_ORIGINS.
 *
 * The customer talks to an AI assistant; a human agent can take over (handoff). Replies stream
 * over POST /v1/chat as server-sent events; while a human has the conversation, the widget polls
 * GET /v1/conversations/{id} for the agent's messages. The conversation id and token live in
 * localStorage, so a page reload restores the transcript. Everything the server sends is
 * rendered as text (textContent), never as markup. Each of the bot's replies can be rated
 * (thumbs up, or thumbs down with an optional comment): POST /v1/conversations/{id}/feedback.
 */
(() => {
  "use strict";

  if (window.__guardchatWidget) return; // the tag was added twice
  window.__guardchatWidget = "loading";

  const POLL_MS = 2500;
  const STREAM_IDLE_MS = 90000; // no byte for this long: the stream is treated as dropped
  const SEND_RETRIES = 4; // network failures and 409/503 before any reply
  const RECOVERY_CHECKS = 8; // after a dropped stream, looks at the conversation this often
  const HUMAN = new Set(["handoff_pending", "with_agent"]);
  const GONE = new Set([401, 403, 404]); // the stored conversation is unusable
  const SVG_NS = "http://www.w3.org/2000/svg";
  const LABELS = { user: "You", assistant: "AI assistant", agent: "Support agent" };
  // Stored text is redacted: <PERSON_1> and the like read better as [name].
  const PLACEHOLDER = /<([A-Z][A-Z_]*?)_\d+>/g;
  const PLACEHOLDER_NAMES = {
    PERSON: "name", EMAIL_ADDRESS: "email", EMAIL: "email", PHONE_NUMBER: "phone number", PHONE: "phone number",
    LOCATION: "address", ADDRESS: "address", STREET_ADDRESS: "address", CREDIT_CARD: "card number",
    IBAN_CODE: "IBAN", IP_ADDRESS: "IP address", DATE_TIME: "date", URL: "link",
  };

  // ---------------------------------------------------------------- configuration

  function ownScript() {
    if (document.currentScript) return document.currentScript;
    const tags = document.querySelectorAll("script[src*='widget.js']");
    return tags.length ? tags[tags.length - 1] : null;
  }

  function readConfig(tag) {
    const data = (tag && tag.dataset) || {};
    const fallback = tag && tag.src ? new URL(tag.src, location.href).origin : location.origin;
    const endpoint = (data.endpoint || fallback).replace(/\/+$/, "");
    const title = data.title || "Customer support";
    const color = parseColor(data.color) || [11, 95, 255];
    const text = parseColor(data.textColor) || [255, 255, 255];
    return {
      endpoint,
      title,
      greeting: data.greeting || `Hi! I'm the AI assistant for ${title}. How can I help you today?`,
      position: data.position === "left" ? "left" : "right",
      color: toCss(color),
      textColor: toCss(readable(color, text)),
      storageKey: `guardchat:${endpoint}`,
    };
  }

  function parseColor(value) {
    const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value || "").trim());
    if (!m) return null;
    const hex = m[1].length === 3 ? m[1].replace(/(.)/g, "$1$1") : m[1];
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }

  const toCss = (rgb) => `rgb(${rgb.join(",")})`;

  function luminance(rgb) {
    const [r, g, b] = rgb.map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function contrast(a, b) {
    const [la, lb] = [luminance(a), luminance(b)];
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** The site's text colour if it reads well on its brand colour (WCAG AA), else black or white. */
  function readable(background, wanted) {
    if (contrast(background, wanted) >= 4.5) return wanted;
    const white = [255, 255, 255];
    const black = [17, 17, 17];
    return contrast(background, white) >= contrast(background, black) ? white : black;
  }

  // ---------------------------------------------------------------- storage

  function loadSession(key) {
    try {
      const saved = JSON.parse(localStorage.getItem(key) || "null");
      return saved && saved.id && saved.token ? saved : null;
    } catch {
      return null; // storage disabled or corrupt: start fresh
    }
  }

  function saveSession(key, session) {
    try {
      if (session) localStorage.setItem(key, JSON.stringify(session));
      else localStorage.removeItem(key);
    } catch {
      // private mode: the conversation lasts as long as the page
    }
  }

  // ---------------------------------------------------------------- small helpers

  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) if (child) node.appendChild(child);
    return node;
  }

  function icon(paths, size = 20) {
    const svg = document.createElementNS(SVG_NS, "svg");
    for (const [name, value] of Object.entries({
      viewBox: "0 0 24 24", width: size, height: size, "aria-hidden": "true", focusable: "false",
    })) svg.setAttribute(name, String(value));
    for (const d of paths) {
      const path = document.createElementNS(SVG_NS, "path");
      path.setAttribute("d", d);
      svg.appendChild(path);
    }
    return svg;
  }

  const ICONS = {
    chat: ["M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"],
    close: ["M6 6l12 12", "M18 6L6 18"],
    send: ["M4 12h15", "M13 6l6 6-6 6"],
    restart: ["M4 12a8 8 0 1 0 2.3-5.7", "M4 4v4.5h4.5"],
    up: ["M7 10v12", "M15 5.88 14 10h5.83a2 2 0 0 1 1.92 2.56l-2.33 8A2 2 0 0 1 17.5 22H4a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h2.76a2 2 0 0 0 1.79-1.11L12 2a3.13 3.13 0 0 1 3 3.88Z"],
    down: ["M17 14V2", "M9 18.12 10 14H4.17a2 2 0 0 1-1.92-2.56l2.33-8A2 2 0 0 1 6.5 2H20a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-2.76a2 2 0 0 0-1.79 1.11L12 22a3.13 3.13 0 0 1-3-3.88Z"],
  };

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const backoff = (attempt) => Math.min(8000, 800 * 2 ** attempt) + Math.random() * 300;

  // ---------------------------------------------------------------- styles

  function styles(cfg) {
    const side = cfg.position;
    return `
:host { all: initial; }
.gc { --gc-color: ${cfg.color}; --gc-on-color: ${cfg.textColor}; --gc-focus: #101828;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1d2939; position: fixed; bottom: 20px; ${side}: 20px; z-index: 2147483000;
  display: flex; flex-direction: column; gap: 14px;
  align-items: ${side === "left" ? "flex-start" : "flex-end"}; }
.gc *, .gc *::before, .gc *::after { box-sizing: border-box; }
button { font: inherit; cursor: pointer; }
svg { fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; }
:focus { outline: none; }
:focus-visible { outline: 3px solid var(--gc-focus); outline-offset: 2px; }
[hidden] { display: none !important; }

.launcher { width: 60px; height: 60px; border-radius: 50%; border: 0; display: grid; place-items: center;
  background: var(--gc-color); color: var(--gc-on-color); position: relative;
  box-shadow: 0 8px 24px rgba(16, 24, 40, .25); transition: transform .15s ease; }
.launcher:hover { transform: translateY(-2px); }
.launcher:focus-visible { box-shadow: 0 0 0 3px #fff, 0 8px 24px rgba(16, 24, 40, .25); }
.launcher svg { width: 28px; height: 28px; }
.launcher svg + svg, .launcher[aria-expanded="true"] svg:first-child { display: none; }
.launcher[aria-expanded="true"] svg + svg { display: block; width: 24px; height: 24px; }
.badge { position: absolute; top: 2px; right: 2px; width: 16px; height: 16px; border-radius: 50%;
  background: #d92d20; border: 2px solid #fff; }

.panel { width: 380px; max-width: calc(100vw - 24px); height: 600px; max-height: calc(100vh - 110px);
  background: #fff; border-radius: 16px; overflow: hidden; display: flex; flex-direction: column;
  border: 1px solid rgba(16, 24, 40, .08);
  box-shadow: 0 20px 48px rgba(16, 24, 40, .22), 0 2px 6px rgba(16, 24, 40, .08); }
.head { background: var(--gc-color); color: var(--gc-on-color); padding: 14px 10px 14px 16px;
  display: flex; align-items: center; gap: 12px; }
.avatar { width: 38px; height: 38px; border-radius: 50%; display: grid; place-items: center; flex: none;
  background: rgba(255, 255, 255, .2); }
.heading { flex: 1; min-width: 0; }
h2 { margin: 0; font-size: 16px; font-weight: 650; line-height: 1.25;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.subtitle { margin: 2px 0 0; font-size: 12.5px; }
.icon-btn { width: 36px; height: 36px; border-radius: 10px; border: 0; background: transparent;
  color: inherit; display: grid; place-items: center; flex: none; }
.icon-btn:hover { background: rgba(255, 255, 255, .18); }
.head :focus-visible { outline-color: var(--gc-on-color); outline-offset: -3px; }

.disclosure { margin: 0; padding: 10px 16px; font-size: 12.5px; color: #344054;
  background: #f2f4f7; border-bottom: 1px solid #e4e7ec; }
.disclosure strong { font-weight: 650; }
.status { margin: 0; padding: 10px 16px; font-size: 13px; font-weight: 600; color: #7a2e0e;
  background: #fffaeb; border-bottom: 1px solid #fedf89; display: flex; gap: 8px; align-items: center; }
.status.joined { color: #05603a; background: #ecfdf3; border-color: #abefc6; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: currentColor; flex: none; }

.log { flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column; gap: 14px;
  background: #fff; overscroll-behavior: contain; }
.log:focus-visible { outline-offset: -3px; }
.msg { display: flex; flex-direction: column; align-items: flex-start; max-width: 85%; }
.msg.user { align-self: flex-end; align-items: flex-end; }
.who { font-size: 11.5px; font-weight: 600; color: #475467; margin: 0 6px 4px; }
.bubble { padding: 9px 13px; border-radius: 16px; white-space: pre-wrap; overflow-wrap: anywhere; }
.assistant .bubble { background: #f2f4f7; color: #1d2939; border-top-left-radius: 4px; }
.user .bubble { background: var(--gc-color); color: var(--gc-on-color); border-top-right-radius: 4px; }
.agent .bubble { background: #ecfdf3; color: #053321; border: 1px solid #75e0a7; border-top-left-radius: 4px; }
.agent .who { color: #05603a; }
.notice { align-self: center; max-width: 92%; margin: 0; text-align: center; font-size: 12.5px;
  color: #475467; background: #f9fafb; border: 1px solid #eaecf0; border-radius: 999px; padding: 5px 12px; }
.notice.joined { color: #05603a; background: #ecfdf3; border-color: #abefc6; }
.notice.error { color: #912018; background: #fef3f2; border-color: #fecdca; border-radius: 10px; }
.rate { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 5px 4px 0; }
.thumb { width: 30px; height: 30px; border-radius: 8px; border: 1px solid #d0d5dd; background: #fff;
  color: #475467; display: grid; place-items: center; padding: 0; }
.thumb:hover { background: #f2f4f7; color: #1d2939; }
.thumb[aria-pressed="true"] { background: #eff4ff; color: #0040c1; border-color: #84adff; }
.thumb:disabled { opacity: .6; cursor: default; }
form.why { flex-basis: 100%; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 0;
  border: 0; }
.why label { flex-basis: 100%; font-size: 12.5px; color: #344054; }
.why input { flex: 1; min-width: 0; font: inherit; font-size: 14px; color: #1d2939; background: #fff;
  border: 1px solid #98a2b3; border-radius: 8px; padding: 6px 9px; }
.why-send { border: 0; border-radius: 8px; padding: 7px 11px; font-size: 13px; font-weight: 600;
  background: var(--gc-color); color: var(--gc-on-color); }
.rated { margin: 0; font-size: 12px; color: #475467; }
.typing { display: inline-flex; gap: 4px; padding: 5px 0; }
.typing span { width: 7px; height: 7px; border-radius: 50%; background: #667085;
  animation: gc-blink 1.2s infinite ease-in-out; }
.typing span:nth-child(2) { animation-delay: .2s; }
.typing span:nth-child(3) { animation-delay: .4s; }
.streaming .bubble::after { content: ""; display: inline-block; width: 2px; height: 1em; margin-left: 2px;
  vertical-align: -2px; background: currentColor; animation: gc-blink 1s infinite steps(1); }
@keyframes gc-blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }

form { display: flex; gap: 8px; align-items: flex-end; padding: 12px 12px 8px; border-top: 1px solid #eaecf0; }
textarea { flex: 1; resize: none; font: inherit; color: #1d2939; background: #fff;
  border: 1px solid #98a2b3; border-radius: 12px; padding: 9px 12px; height: 42px; max-height: 120px;
  line-height: 1.4; }
textarea::placeholder { color: #667085; }
textarea:focus-visible { border-color: var(--gc-focus); outline-width: 2px; outline-offset: 0; }
.send { width: 42px; height: 42px; border-radius: 12px; border: 0; display: grid; place-items: center;
  background: var(--gc-color); color: var(--gc-on-color); flex: none; }
.send:disabled { opacity: .5; cursor: not-allowed; }
.footnote { margin: 0; padding: 0 14px 10px; font-size: 11.5px; color: #475467; text-align: center; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }

@media (max-width: 480px) {
  .gc { bottom: 12px; ${side}: 12px; }
  .panel { width: calc(100vw - 24px); height: calc(100vh - 96px); }
}
@media (prefers-reduced-motion: reduce) {
  .launcher, .typing span, .streaming .bubble::after { transition: none; animation: none; }
}
@media (forced-colors: active) { .bubble, .notice, .panel { border: 1px solid CanvasText; } }
`;
  }

  // ---------------------------------------------------------------- the view

  function buildView(cfg) {
    const host = el("div", { id: "guardchat-widget" });
    const root = host.attachShadow({ mode: "open" });
    root.appendChild(el("style", { text: styles(cfg) }));
    const v = { host };
    v.close = el("button", { class: "icon-btn close", type: "button", "aria-label": "Close chat" }, [icon(ICONS.close)]);
    v.restart = el("button", {
      class: "icon-btn restart", type: "button", "aria-label": "Start a new conversation",
      title: "Start a new conversation",
    }, [icon(ICONS.restart, 18)]);
    const header = el("div", { class: "head" }, [
      el("div", { class: "avatar" }, [icon(ICONS.chat, 18)]),
      el("div", { class: "heading" }, [
        el("h2", { id: "gc-title", text: cfg.title }),
        el("p", { class: "subtitle", text: "AI assistant" }),
      ]),
      v.restart, v.close,
    ]);
    const disclosure = el("p", { class: "disclosure", id: "gc-disclosure" }, [
      el("strong", { text: "You are chatting with an AI assistant, not a person." }),
      document.createTextNode(" It can make mistakes. Ask for a human agent at any time."),
    ]);
    // The log announces status changes; the banner only shows the current state.
    v.status = el("p", { class: "status", role: "status", "aria-live": "off", hidden: "" });
    v.log = el("div", {
      class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Conversation", tabindex: "0",
    });
    v.input = el("textarea", {
      id: "gc-input", rows: "1", maxlength: "2000", autocomplete: "off",
      placeholder: "Type your message…", "aria-describedby": "gc-hint",
    });
    v.send = el("button", { class: "send", type: "submit", "aria-label": "Send message" }, [icon(ICONS.send)]);
    v.form = el("form", { "aria-label": "Send a message" }, [
      el("label", { class: "sr-only", for: "gc-input", text: `Message to ${cfg.title}` }),
      v.input, v.send,
    ]);
    const footnote = el("p", {
      class: "footnote", id: "gc-hint",
      text: "Enter to send · Shift+Enter for a new line · Please don't share passwords or card numbers.",
    });
    v.panel = el("div", {
      class: "panel", id: "gc-panel", role: "dialog", "aria-modal": "false",
      "aria-labelledby": "gc-title", "aria-describedby": "gc-disclosure", hidden: "",
    }, [header, disclosure, v.status, v.log, v.form, footnote]);
    v.badge = el("span", { class: "badge", hidden: "", "aria-hidden": "true" });
    v.launcher = el("button", {
      class: "launcher", type: "button", "aria-haspopup": "dialog", "aria-expanded": "false",
      "aria-controls": "gc-panel", "aria-label": `Open chat: ${cfg.title}`,
    }, [icon(ICONS.chat), icon(ICONS.close), v.badge]);
    root.appendChild(el("div", { class: "gc" }, [v.panel, v.launcher]));
    return v;
  }

  const readableText = (text) => text.replace(PLACEHOLDER, (_, kind) => `[${PLACEHOLDER_NAMES[kind] || "hidden"}]`);

  function messageNode(role, text, who = LABELS[role] || role) {
    const bubble = el("div", { class: "bubble", text: readableText(text) });
    const node = el("div", { class: `msg ${role}` }, [el("span", { class: "who", text: who }), bubble]);
    node.bubble = bubble;
    return node;
  }

  function thumb(kind, label) {
    return el("button", { class: "thumb", type: "button", "aria-label": label, "aria-pressed": "false", title: label }, [
      icon(ICONS[kind], 16),
    ]);
  }

  const typingNode = () => el("span", { class: "typing", role: "img", "aria-label": "Typing" }, [
    el("span"), el("span"), el("span"),
  ]);

  // ---------------------------------------------------------------- the HTTP API

  /** A failed response: problem+json's status, title and detail. */
  class ApiError extends Error {
    constructor(status, title, detail = "", retryAfter = null) {
      super(title);
      Object.assign(this, { status, title, detail, retryAfter });
    }
  }

  async function problemOf(response) {
    const body = await response.json().catch(() => ({}));
    const retryAfter = parseInt(response.headers.get("Retry-After") || "", 10);
    return new ApiError(response.status, body.title || "Request failed", body.detail || "",
      Number.isNaN(retryAfter) ? null : retryAfter);
  }

  function politeError(error) {
    if (!(error instanceof ApiError)) {
      return "We couldn't reach the support service. Please check your connection and send your message again.";
    }
    if (error.status === 429) {
      const wait = error.retryAfter ? `in ${error.retryAfter} seconds` : "in a moment";
      return `You're sending messages quickly. Please try again ${wait}.`;
    }
    if (error.status === 409) return "The previous reply is still being written. Please try again in a moment.";
    if (error.status >= 500) return "Sorry, something went wrong on our side. Please try again in a moment.";
    return `Sorry, that didn't work: ${error.detail || error.title}`;
  }

  /** Read a text/event-stream body, calling onEvent(name, data) for each event. */
  async function readEvents(response, onEvent, onActivity) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const dispatch = (block) => {
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (!data.length) return;
      let parsed;
      try {
        parsed = JSON.parse(data.join("\n"));
      } catch {
        return; // not ours: ignore
      }
      onEvent(name, parsed);
    };
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onActivity();
      // CRLF and CR line ends become LF; a CR at the very end waits for what follows it.
      buffer = (buffer + decoder.decode(value, { stream: true })).replace(/\r\n|\r(?!$)/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
    buffer += decoder.decode();
    if (buffer.trim()) dispatch(buffer.replace(/\r\n?/g, "\n"));
  }

  // ---------------------------------------------------------------- the widget

  class Widget {
    constructor(cfg) {
      this.cfg = cfg;
      this.view = buildView(cfg);
      this.session = loadSession(cfg.storageKey); // {id, token}
      this.status = "bot";
      this.seen = 0; // lines of the server's transcript already on screen
      this.busy = false;
      this.quiet = false; // no notices while restoring a transcript
      this.greeted = false;
      this.pollTimer = null;
      this.bind();
      document.body.appendChild(this.view.host);
      if (this.session) this.restore();
    }

    bind() {
      const v = this.view;
      v.launcher.addEventListener("click", () => (this.isOpen() ? this.close() : this.open()));
      v.close.addEventListener("click", () => this.close());
      v.restart.addEventListener("click", () => this.restart());
      v.form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.submit();
      });
      v.input.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.submit();
        }
      });
      v.input.addEventListener("input", () => this.autosize());
      v.launcher.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && this.isOpen()) this.close();
      });
      v.panel.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          this.close();
        }
      });
    }

    // ------------------------------------------------ opening and closing

    isOpen() {
      return !this.view.panel.hidden;
    }

    open() {
      const v = this.view;
      v.panel.hidden = false;
      v.launcher.setAttribute("aria-expanded", "true");
      v.launcher.setAttribute("aria-label", `Close chat: ${this.cfg.title}`);
      v.badge.hidden = true;
      if (!this.greeted && !this.session) this.greet();
      this.scrollDown();
      v.input.focus();
    }

    close() {
      const v = this.view;
      v.panel.hidden = true;
      v.launcher.setAttribute("aria-expanded", "false");
      v.launcher.setAttribute("aria-label", `Open chat: ${this.cfg.title}`);
      v.launcher.focus();
    }

    greet() {
      this.greeted = true;
      this.add("assistant", this.cfg.greeting);
    }

    restart() {
      if (this.busy) return;
      this.forget();
      this.view.log.textContent = "";
      this.setStatus("bot");
      this.greet();
      this.view.input.focus();
    }

    /** Drop the stored conversation: a new one opens with the next message. */
    forget() {
      this.session = null;
      this.seen = 0;
      saveSession(this.cfg.storageKey, null);
      this.stopPolling();
    }

    // ------------------------------------------------ rendering

    autosize() {
      const input = this.view.input;
      input.style.height = "auto";
      input.style.height = `${Math.min(Math.max(input.scrollHeight + 2, 42), 120)}px`;
    }

    scrollDown() {
      this.view.log.scrollTop = this.view.log.scrollHeight;
    }

    add(role, text) {
      // An agent's messages carry the name they gave when they took the conversation.
      const who = role === "agent" && this.agentName ? `${this.agentName}, support agent` : undefined;
      const node = messageNode(role, text, who);
      this.view.log.appendChild(node);
      this.scrollDown();
      if (role === "agent" && !this.isOpen()) this.view.badge.hidden = false;
      return node;
    }

    notice(text, kind = "") {
      const node = el("p", { class: `notice ${kind}`.trim(), text });
      if (kind === "error") node.setAttribute("role", "alert");
      this.view.log.appendChild(node);
      this.scrollDown();
    }

    setBusy(busy) {
      this.busy = busy;
      this.view.send.disabled = busy;
      this.view.log.setAttribute("aria-busy", String(busy));
    }

    // ------------------------------------------------ status: bot, handoff pending, with an agent

    setStatus(status) {
      const before = this.status;
      this.status = status;
      if (status === "handoff_pending") this.showStatus("Waiting for a support agent to join", false);
      else if (status === "with_agent") {
        const who = this.agentName ? `${this.agentName} from our support team is` : "A support agent is";
        this.showStatus(`${who} in this conversation.`, true);
      }
      else this.view.status.hidden = true;
      if (before !== status && !this.quiet) this.announce(before, status);
      if (HUMAN.has(status)) this.startPolling();
      else this.stopPolling();
    }

    showStatus(text, joined) {
      const status = this.view.status;
      status.textContent = "";
      status.append(el("span", { class: "dot", "aria-hidden": "true" }), text);
      status.className = joined ? "status joined" : "status";
      status.hidden = false;
    }

    announce(before, after) {
      if (after === "handoff_pending") this.notice("A human agent has been requested.");
      else if (after === "with_agent") this.notice("A support agent has joined the conversation.", "joined");
      else if (HUMAN.has(before) && after === "bot") this.notice("The support agent has left. The AI assistant is back.");
      else if (after === "closed") this.notice("This conversation has been closed.");
    }

    startPolling() {
      if (this.pollTimer) return;
      this.pollTimer = setInterval(() => {
        if (!this.busy) this.sync().catch(() => {}); // the next tick tries again
      }, POLL_MS);
    }

    stopPolling() {
      clearInterval(this.pollTimer);
      this.pollTimer = null;
    }

    // ------------------------------------------------ reading the conversation back

    headers(extra = {}) {
      return this.session ? { ...extra, Authorization: `Bearer ${this.session.token}` } : extra;
    }

    async fetchConversation() {
      const url = `${this.cfg.endpoint}/v1/conversations/${encodeURIComponent(this.session.id)}`;
      const response = await fetch(url, { headers: this.headers({ Accept: "application/json" }), credentials: "omit" });
      if (!response.ok) throw await problemOf(response);
      return response.json();
    }

    /**
     * Show the transcript lines not yet on screen, and the status. With `turn` (this tab's turn in
     * flight), its user line is already on screen (turn.onServer once found) and its assistant
     * line fills the turn's bubble (turn.answered).
     */
    async sync(turn = null) {
      const conversation = await this.fetchConversation();
      const lines = conversation.messages;
      this.agentName = conversation.agent || null;
      for (let index = this.seen; index < lines.length; index++) {
        const line = lines[index];
        if (turn && !turn.onServer && line.role === "user") {
          turn.onServer = true;
        } else if (turn && turn.onServer && !turn.answered && line.role === "assistant") {
          turn.answered = true;
          if (!turn.done) turn.pending.bubble.textContent = readableText(line.content); // done's text keeps the customer's own details
          turn.pending.classList.remove("streaming");
          this.rateable(turn.pending, index);
        } else {
          const node = this.add(line.role, line.content);
          if (line.role === "assistant") this.rateable(node, index);
        }
      }
      this.seen = conversation.messages.length;
      this.setStatus(conversation.status);
    }

    /** After a page load: the stored conversation's transcript and status. */
    async restore() {
      this.setBusy(true);
      this.quiet = true;
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            this.view.log.textContent = "";
            this.seen = 0;
            await this.sync();
            this.greeted = true;
            return;
          } catch (error) {
            if (error instanceof ApiError && GONE.has(error.status)) return this.forget();
            if (attempt >= SEND_RETRIES) return this.notice(politeError(error), "error");
            await sleep(backoff(attempt));
          }
        }
      } finally {
        this.quiet = false;
        this.setBusy(false);
      }
    }

    // ------------------------------------------------ rating the bot's replies

    /** Thumbs up and down under a bot reply (`index`: its line in the server's transcript). */
    rateable(node, index) {
      if (node.rating || !node.isConnected) return;
      node.rating = el("div", { class: "rate" });
      node.appendChild(node.rating);
      const rated = this.session && this.session.rated && this.session.rated[index];
      if (rated) return this.showRated(node, rated, false);
      const up = thumb("up", "Helpful");
      const down = thumb("down", "Not helpful");
      up.addEventListener("click", () => this.rate(node, index, "up"));
      down.addEventListener("click", () => this.askWhy(node, index, down));
      node.rating.append(el("div", { class: "thumbs", role: "group", "aria-label": "Rate this reply" }, [up, down]));
    }

    /** Thumbs down: an optional comment, then "Send feedback" records the rating. */
    askWhy(node, index, down) {
      if (node.why) return node.why.input.focus();
      down.setAttribute("aria-pressed", "true");
      const id = `gc-why-${index}`;
      const input = el("input", { id, type: "text", maxlength: "2000", autocomplete: "off" });
      const form = el("form", { class: "why", "aria-label": "Feedback on this reply" }, [
        el("label", { for: id, text: "What went wrong? (optional)" }), input,
        el("button", { class: "why-send", type: "submit", text: "Send feedback" }),
      ]);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.rate(node, index, "down", input.value.trim());
      });
      Object.assign(node, { why: Object.assign(form, { input }) });
      node.rating.appendChild(form);
      input.focus();
    }

    async rate(node, index, rating, comment = "") {
      const controls = [...node.rating.querySelectorAll("button, input")];
      controls.forEach((control) => { control.disabled = true; });
      try {
        await this.postFeedback(index, rating, comment);
      } catch (error) {
        controls.forEach((control) => { control.disabled = false; });
        return this.notice(politeError(error), "error");
      }
      this.session.rated = { ...(this.session.rated || {}), [index]: rating };
      saveSession(this.cfg.storageKey, this.session);
      const hadFocus = node.rating.contains(this.view.host.shadowRoot.activeElement);
      this.showRated(node, rating, true);
      if (hadFocus) this.view.input.focus(); // the buttons are gone: back to the message box
    }

    async postFeedback(index, rating, comment) {
      const url = `${this.cfg.endpoint}/v1/conversations/${encodeURIComponent(this.session.id)}/feedback`;
      const body = { message_index: index, rating, ...(comment ? { comment } : {}) };
      const response = await fetch(url, {
        method: "POST", credentials: "omit", body: JSON.stringify(body),
        headers: this.headers({ "Content-Type": "application/json", Accept: "application/json" }),
      });
      if (!response.ok) throw await problemOf(response);
    }

    showRated(node, rating, justNow) {
      node.rating.textContent = "";
      node.why = null;
      const text = justNow ? "Thanks for your feedback." : `You rated this reply ${rating === "up" ? "helpful" : "not helpful"}.`;
      node.rating.appendChild(el("p", { class: "rated", text }));
    }

    // ------------------------------------------------ sending a turn

    submit() {
      const text = this.view.input.value.trim();
      if (!text || this.busy) return;
      this.view.input.value = "";
      this.autosize();
      this.sendTurn(text);
    }

    async sendTurn(text) {
      this.setBusy(true);
      const userNode = this.add("user", text);
      const pending = this.add("assistant", "");
      pending.bubble.appendChild(typingNode());
      const turn = {
        text, pending, baseline: this.seen, started: false, streamed: false, done: null,
        failed: false, renewed: false, onServer: false, answered: false,
      };
      try {
        await this.runTurn(turn);
      } catch (error) {
        pending.remove();
        if (!turn.onServer && !turn.done) {
          userNode.remove(); // it never arrived: give the text back to resend
          if (!this.view.input.value) this.view.input.value = text;
        }
        this.notice(politeError(error), "error");
      } finally {
        this.setBusy(false);
      }
    }

    /** Send the turn; retry what failed before the server took it; recover a dropped stream. */
    async runTurn(turn) {
      for (let tries = 0; ; tries++) {
        try {
          await this.post(turn);
          return await this.afterDone(turn);
        } catch (error) {
          if (turn.done) return this.afterDone(turn);
          if (turn.started) return this.recoverDropped(turn, error);
          if (error instanceof ApiError && GONE.has(error.status) && this.session && !turn.renewed) {
            turn.renewed = true; // the stored conversation is unusable: open a new one with this message
            this.forget();
            this.notice("Your previous conversation has expired, so a new one was started.");
            continue;
          }
          const retriable = !(error instanceof ApiError) || error.status === 409 || error.status === 503;
          if (!retriable || tries >= SEND_RETRIES) throw error;
          await sleep(error.retryAfter ? Math.min(error.retryAfter, 10) * 1000 : backoff(tries));
          if (await this.reachedServer(turn)) return this.recoverDropped(turn, error);
        }
      }
    }

    async post(turn) {
      const body = { message: turn.text };
      if (this.session) body.conversation_id = this.session.id;
      const controller = new AbortController();
      let idle = null;
      const activity = () => {
        clearTimeout(idle);
        idle = setTimeout(() => controller.abort(), STREAM_IDLE_MS);
      };
      activity();
      try {
        const response = await fetch(`${this.cfg.endpoint}/v1/chat`, {
          method: "POST",
          headers: this.headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
          body: JSON.stringify(body),
          credentials: "omit",
          signal: controller.signal,
        });
        if (!response.ok) throw await problemOf(response);
        turn.started = true;
        turn.baseline = this.seen;
        await readEvents(response, (name, data) => this.onEvent(turn, name, data), activity);
        if (!turn.done) throw new Error("the stream ended before the reply was complete");
      } finally {
        clearTimeout(idle);
      }
    }

    onEvent(turn, name, data) {
      if (name === "meta") this.remember(data);
      else if (name === "delta") this.appendDelta(turn, data.text || "");
      else if (name === "handoff" && this.status === "bot") this.setStatus("handoff_pending");
      else if (name === "done") this.finish(turn, data);
      else if (name === "error") {
        turn.failed = true;
        throw new ApiError(data.status || 503, data.title || "Turn failed", data.detail || "");
      }
    }

    remember(data) {
      if (!data.conversation_id || !data.conversation_token) return;
      const rated = this.session && this.session.id === data.conversation_id ? this.session.rated : undefined;
      this.session = { id: data.conversation_id, token: data.conversation_token, ...(rated ? { rated } : {}) };
      saveSession(this.cfg.storageKey, this.session);
    }

    appendDelta(turn, text) {
      if (!turn.streamed) {
        turn.pending.bubble.textContent = "";
        turn.pending.classList.add("streaming");
        turn.streamed = true;
      }
      turn.pending.bubble.append(text);
      this.scrollDown();
    }

    /** `done`: the final reply replaces the streamed text. */
    finish(turn, data) {
      turn.done = data;
      turn.pending.classList.remove("streaming");
      this.remember(data);
      if (data.reply) turn.pending.bubble.textContent = readableText(data.reply);
      else turn.pending.remove();
      if (data.route === "handoff" && this.status === "bot") this.setStatus("handoff_pending");
      this.scrollDown();
    }

    /** Catch up with the server: this turn's lines count as shown, the status may have moved. */
    async afterDone(turn) {
      try {
        await this.sync(turn);
      } catch {
        // polling or the next turn catches up
      }
    }

    /** Before resending: did an earlier try reach the server after all? */
    async reachedServer(turn) {
      if (!this.session) return false;
      turn.baseline = this.seen;
      try {
        const conversation = await this.fetchConversation();
        return conversation.messages.slice(this.seen).some((line) => line.role === "user");
      } catch {
        return false;
      }
    }

    /**
     * The stream broke after the server took the turn: never resend (that would repeat the
     * message), but watch the conversation until the reply is there, and show its final state.
     */
    async recoverDropped(turn, error) {
      if (turn.failed) throw error;
      this.seen = Math.min(this.seen, turn.baseline ?? this.seen);
      for (let check = 0; check < RECOVERY_CHECKS; check++) {
        await sleep(backoff(check));
        try {
          await this.sync(turn);
          if (turn.answered || (turn.onServer && HUMAN.has(this.status))) {
            if (!turn.answered) turn.pending.remove();
            return;
          }
        } catch {
          // not reachable yet: look again
        }
      }
      if (turn.onServer) {
        turn.pending.remove();
        this.notice("Your message was received, but the reply is taking longer than usual. Please try again shortly.", "error");
        return;
      }
      throw error; // it never arrived: the text goes back into the input
    }
  }

  // ---------------------------------------------------------------- start

  const tag = ownScript(); // currentScript is only set while this file first runs
  const start = () => {
    window.__guardchatWidget = new Widget(readConfig(tag));
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

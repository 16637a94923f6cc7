/*
 * guardchat website widget: one self-contained script, no dependencies, no external requests.
 *
 *   <script src="https://gateway/widget.js" data-endpoint="https://gateway"
 *           data-title="Acme support" data-color="#0b5fff" data-text-color="#fff" async></script>
 *
 * Optional: data-greeting (the first bubble), data-position ("right" | "left").
 * The customer talks to an AI assistant; a human agent can take over (handoff). Everything the
 * server sends is rendered as text (textContent), never as markup.
 */
(function () {
  "use strict";

  if (window.__guardchatWidget) return; // the tag was added twice
  window.__guardchatWidget = true;

  var POLL_MS = 2500;
  var STREAM_IDLE_MS = 90000;
  var RETRIES = 4;
  var HUMAN_STATUSES = { handoff_pending: true, with_agent: true };
  var SVG_NS = "http://www.w3.org/2000/svg";

  // ---------------------------------------------------------------- configuration

  function ownScript() {
    if (document.currentScript) return document.currentScript;
    var tags = document.querySelectorAll("script[src*='widget.js']");
    return tags.length ? tags[tags.length - 1] : null;
  }

  function readConfig(tag) {
    var data = (tag && tag.dataset) || {};
    var fallback = tag && tag.src ? new URL(tag.src, location.href).origin : location.origin;
    var endpoint = (data.endpoint || fallback).replace(/\/+$/, "");
    var title = data.title || "Customer support";
    var color = parseColor(data.color) || [11, 95, 255];
    var text = parseColor(data.textColor) || [255, 255, 255];
    return {
      endpoint: endpoint,
      title: title,
      greeting: data.greeting || "Hi! I'm the AI assistant for " + title + ". How can I help you today?",
      position: data.position === "left" ? "left" : "right",
      color: toCss(color),
      colorDark: toCss(shade(color, 0.8)),
      textColor: toCss(readable(color, text)),
      storageKey: "guardchat:" + endpoint,
    };
  }

  function parseColor(value) {
    var m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value || "").trim());
    if (!m) return null;
    var hex = m[1].length === 3 ? m[1].replace(/(.)/g, "$1$1") : m[1];
    return [0, 2, 4].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
  }

  function toCss(rgb) { return "rgb(" + rgb.join(",") + ")"; }

  function shade(rgb, factor) { return rgb.map(function (c) { return Math.round(c * factor); }); }

  function luminance(rgb) {
    var lin = rgb.map(function (c) {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  }

  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** The site's text colour if it reads well on its brand colour (WCAG AA), else black or white. */
  function readable(background, wanted) {
    if (contrast(background, wanted) >= 4.5) return wanted;
    var white = [255, 255, 255], black = [17, 17, 17];
    return contrast(background, white) >= contrast(background, black) ? white : black;
  }

  // ---------------------------------------------------------------- storage

  function loadSession(key) {
    try {
      var saved = JSON.parse(localStorage.getItem(key) || "null");
      return saved && saved.id && saved.token ? saved : null;
    } catch (e) {
      return null; // storage disabled or corrupt: start fresh
    }
  }

  function saveSession(key, session) {
    try {
      if (session) localStorage.setItem(key, JSON.stringify(session));
      else localStorage.removeItem(key);
    } catch (e) { /* private mode: the conversation lasts as long as the page */ }
  }

  // ---------------------------------------------------------------- small DOM helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function icon(paths, size) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", String(size || 20));
    svg.setAttribute("height", String(size || 20));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    paths.forEach(function (d) {
      var path = document.createElementNS(SVG_NS, "path");
      path.setAttribute("d", d);
      svg.appendChild(path);
    });
    return svg;
  }

  var ICONS = {
    chat: ["M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"],
    close: ["M6 6l12 12", "M18 6L6 18"],
    send: ["M3 11.5L21 3l-8.5 18-2.2-7.3z"],
    restart: ["M4 12a8 8 0 1 0 2.3-5.7", "M4 4v4.5h4.5"],
  };

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function backoff(attempt) { return Math.min(8000, 800 * Math.pow(2, attempt)) + Math.random() * 300; }

  // ---------------------------------------------------------------- styles

  function styles(cfg) {
    return [
      ":host { all: initial; }",
      ".gc { --gc-color: " + cfg.color + "; --gc-color-dark: " + cfg.colorDark + ";",
      "  --gc-on-color: " + cfg.textColor + "; --gc-focus: #1a1a1a;",
      "  font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;",
      "  color: #1d2430; position: fixed; bottom: 20px; " + cfg.position + ": 20px;",
      "  z-index: 2147483000; display: flex; flex-direction: column;",
      "  align-items: " + (cfg.position === "left" ? "flex-start" : "flex-end") + "; gap: 12px; }",
      ".gc *, .gc *::before, .gc *::after { box-sizing: border-box; }",
      "button { font: inherit; cursor: pointer; }",
      "svg { fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; }",
      ":focus-visible { outline: 3px solid var(--gc-focus); outline-offset: 2px;",
      "  box-shadow: 0 0 0 5px #fff; }",
      ".launcher { width: 60px; height: 60px; border-radius: 50%; border: 0; display: grid;",
      "  place-items: center; background: var(--gc-color); color: var(--gc-on-color);",
      "  box-shadow: 0 6px 20px rgba(16,24,40,.28); position: relative; transition: transform .15s; }",
      ".launcher:hover { transform: scale(1.05); }",
      ".launcher svg { width: 28px; height: 28px; }",
      ".badge { position: absolute; top: 2px; right: 2px; width: 16px; height: 16px; border-radius: 50%;",
      "  background: #d92d20; border: 2px solid #fff; }",
      ".panel { width: 380px; max-width: calc(100vw - 24px); height: 600px; max-height: calc(100vh - 110px);",
      "  background: #fff; border-radius: 16px; overflow: hidden; display: flex; flex-direction: column;",
      "  box-shadow: 0 16px 48px rgba(16,24,40,.24), 0 2px 6px rgba(16,24,40,.08);",
      "  border: 1px solid rgba(16,24,40,.08); }",
      ".panel[hidden], .badge[hidden], .status[hidden] { display: none; }",
      "header { background: var(--gc-color); color: var(--gc-on-color); padding: 14px 12px 14px 18px;",
      "  display: flex; align-items: center; gap: 10px; }",
      ".avatar { width: 36px; height: 36px; border-radius: 50%; display: grid; place-items: center;",
      "  background: rgba(255,255,255,.18); flex: none; }",
      ".heading { flex: 1; min-width: 0; }",
      "h2 { margin: 0; font-size: 16px; font-weight: 650; line-height: 1.25; white-space: nowrap;",
      "  overflow: hidden; text-overflow: ellipsis; }",
      ".subtitle { margin: 2px 0 0; font-size: 12.5px; opacity: .92; }",
      ".icon-btn { width: 36px; height: 36px; border-radius: 8px; border: 0; background: transparent;",
      "  color: inherit; display: grid; place-items: center; flex: none; }",
      ".icon-btn:hover { background: rgba(255,255,255,.16); }",
      "header :focus-visible { outline-color: var(--gc-on-color); box-shadow: none; }",
      ".disclosure { margin: 0; padding: 9px 16px; font-size: 12.5px; color: #3b4554;",
      "  background: #f2f5f9; border-bottom: 1px solid #e3e8ef; }",
      ".status { margin: 0; padding: 9px 16px; font-size: 13px; font-weight: 550; color: #6b3b00;",
      "  background: #fff6e5; border-bottom: 1px solid #f5dfb3; display: flex; gap: 8px; align-items: center; }",
      ".status.agent { color: #05603a; background: #ecfdf3; border-color: #abefc6; }",
      ".dot { width: 8px; height: 8px; border-radius: 50%; background: currentColor; flex: none; }",
      ".log { flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column; gap: 12px;",
      "  background: #fff; overscroll-behavior: contain; }",
      ".msg { display: flex; flex-direction: column; max-width: 84%; }",
      ".msg.user { align-self: flex-end; align-items: flex-end; }",
      ".who { font-size: 11.5px; font-weight: 600; color: #4b5565; margin: 0 4px 3px; letter-spacing: .01em; }",
      ".bubble { padding: 9px 13px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }",
      ".assistant .bubble { background: #f0f2f5; color: #1d2430; border-top-left-radius: 4px; }",
      ".user .bubble { background: var(--gc-color); color: var(--gc-on-color); border-top-right-radius: 4px; }",
      ".agent .bubble { background: #ecfdf3; color: #0c3b24; border: 1px solid #9ee2bb;",
      "  border-top-left-radius: 4px; }",
      ".agent .who { color: #05603a; }",
      ".notice { align-self: center; max-width: 92%; text-align: center; font-size: 12.5px; color: #475467;",
      "  background: #f8f9fb; border: 1px solid #e4e7ec; border-radius: 999px; padding: 5px 12px; }",
      ".notice.error { color: #912018; background: #fef3f2; border-color: #fecdca; border-radius: 10px; }",
      ".typing { display: inline-flex; gap: 4px; padding: 4px 0; }",
      ".typing span { width: 7px; height: 7px; border-radius: 50%; background: #667085;",
      "  animation: gc-blink 1.2s infinite ease-in-out; }",
      ".typing span:nth-child(2) { animation-delay: .2s; } .typing span:nth-child(3) { animation-delay: .4s; }",
      "@keyframes gc-blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }",
      "form { display: flex; gap: 8px; align-items: flex-end; padding: 12px; border-top: 1px solid #e4e7ec; }",
      "textarea { flex: 1; resize: none; font: inherit; color: #1d2430; background: #fff;",
      "  border: 1px solid #98a2b3; border-radius: 12px; padding: 9px 12px; min-height: 42px;",
      "  max-height: 120px; line-height: 1.4; }",
      "textarea:focus-visible { border-color: var(--gc-focus); box-shadow: none; outline-offset: 0; outline-width: 2px; }",
      ".send { width: 42px; height: 42px; border-radius: 12px; border: 0; display: grid; place-items: center;",
      "  background: var(--gc-color); color: var(--gc-on-color); flex: none; }",
      ".send:disabled { opacity: .45; cursor: not-allowed; }",
      ".footnote { margin: 0; padding: 0 14px 10px; font-size: 11.5px; color: #5d6b82; text-align: center; }",
      ".sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;",
      "  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }",
      "@media (max-width: 480px) { .gc { bottom: 12px; " + cfg.position + ": 12px; }",
      "  .panel { width: calc(100vw - 24px); height: calc(100vh - 96px); } }",
      "@media (prefers-reduced-motion: reduce) { .launcher, .typing span { transition: none; animation: none; } }",
    ].join("\n");
  }

  // ---------------------------------------------------------------- the view

  function buildView(cfg) {
    var host = el("div", { id: "guardchat-widget" });
    var root = host.attachShadow({ mode: "open" });
    root.appendChild(el("style", { text: styles(cfg) }));

    var v = {};
    v.host = host;
    v.title = el("h2", { id: "gc-title", text: cfg.title });
    v.close = el("button", { class: "icon-btn close", type: "button", "aria-label": "Close chat" },
      [icon(ICONS.close)]);
    v.restart = el("button", {
      class: "icon-btn restart", type: "button", "aria-label": "Start a new conversation",
      title: "Start a new conversation",
    }, [icon(ICONS.restart, 18)]);
    var header = el("header", {}, [
      el("div", { class: "avatar" }, [icon(ICONS.chat, 18)]),
      el("div", { class: "heading" }, [v.title, el("p", { class: "subtitle", text: "AI assistant · a person can join on request" })]),
      v.restart, v.close,
    ]);
    v.disclosure = el("p", { class: "disclosure", id: "gc-disclosure",
      text: "You are chatting with an AI assistant, not a person. It can make mistakes. Ask for a human agent at any time." });
    v.status = el("p", { class: "status", role: "status", hidden: "" });
    v.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Conversation", tabindex: "0" });
    v.input = el("textarea", { id: "gc-input", rows: "1", maxlength: "4000", autocomplete: "off",
      placeholder: "Type your message…", "aria-describedby": "gc-hint" });
    v.send = el("button", { class: "send", type: "submit", "aria-label": "Send message" }, [icon(ICONS.send)]);
    v.form = el("form", { "aria-label": "Send a message" }, [
      el("label", { class: "sr-only", for: "gc-input", text: "Message to " + cfg.title }),
      v.input, v.send,
    ]);
    var foot = el("p", { class: "footnote", id: "gc-hint",
      text: "Enter to send · Shift+Enter for a new line · Please don't share passwords or card numbers." });
    v.panel = el("div", { class: "panel", id: "gc-panel", role: "dialog", "aria-modal": "false",
      "aria-labelledby": "gc-title", "aria-describedby": "gc-disclosure", hidden: "" },
      [header, v.disclosure, v.status, v.log, v.form, foot]);
    v.badge = el("span", { class: "badge", hidden: "", "aria-hidden": "true" });
    v.launcher = el("button", { class: "launcher", type: "button", "aria-haspopup": "dialog",
      "aria-expanded": "false", "aria-controls": "gc-panel", "aria-label": "Open chat: " + cfg.title },
      [icon(ICONS.chat), v.badge]);
    root.appendChild(el("div", { class: "gc" }, [v.panel, v.launcher]));
    return v;
  }

  var LABELS = { user: "You", assistant: "AI assistant", agent: "Support agent" };

  function messageNode(role, text) {
    var bubble = el("div", { class: "bubble", text: text });
    var node = el("div", { class: "msg " + role }, [el("span", { class: "who", text: LABELS[role] || role }), bubble]);
    node.bubble = bubble;
    return node;
  }

  function typingNode() {
    return el("span", { class: "typing", "aria-label": "The assistant is typing" },
      [el("span"), el("span"), el("span")]);
  }

  // ---------------------------------------------------------------- the HTTP API

  function ApiError(status, title, detail, retryAfter) {
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }

  /** A problem+json (or any failed response) as an ApiError. */
  function problemOf(response) {
    var retryAfter = parseInt(response.headers.get("Retry-After") || "", 10);
    return response.json().catch(function () { return {}; }).then(function (body) {
      return new ApiError(response.status, body.title || "Request failed", body.detail || "",
        isNaN(retryAfter) ? null : retryAfter);
    });
  }

  function politeError(error) {
    if (!(error instanceof ApiError)) {
      return "We couldn't reach the support service. Please check your connection and try again.";
    }
    if (error.status === 429) {
      var wait = error.retryAfter ? " in " + error.retryAfter + " seconds" : " in a moment";
      return "You're sending messages quickly. Please try again" + wait + ".";
    }
    if (error.status === 409) return "The previous reply is still being written. Please wait a moment and try again.";
    if (error.status >= 500) return "Sorry, something went wrong on our side. Please try again in a moment.";
    return "Sorry, that didn't work: " + (error.detail || error.title) + ".";
  }

  /** Read a text/event-stream body, calling onEvent(name, data) per event. Resolves at its end. */
  function readEvents(response, onEvent, onActivity) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";

    function dispatch(block) {
      var name = "message", data = [];
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) name = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
      });
      if (!data.length) return;
      var parsed;
      try { parsed = JSON.parse(data.join("\n")); } catch (e) { return; }
      onEvent(name, parsed);
    }

    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          buffer += decoder.decode();
          if (buffer.trim()) dispatch(buffer.replace(/\r\n?/g, "\n"));
          return;
        }
        onActivity();
        buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, "\n");
        var end;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        return pump();
      });
    }
    return pump();
  }

  // ---------------------------------------------------------------- the widget

  function Widget(cfg) {
    this.cfg = cfg;
    this.view = buildView(cfg);
    this.session = loadSession(cfg.storageKey); // {id, token}
    this.status = "bot";
    this.seen = 0; // messages of the server's transcript already on screen
    this.busy = false;
    this.pollTimer = null;
    this.greeted = false;
    this.bind();
    document.body.appendChild(this.view.host);
    if (this.session) this.restore();
  }

  Widget.prototype.bind = function () {
    var self = this, v = this.view;
    v.launcher.addEventListener("click", function () { self.isOpen() ? self.close() : self.open(); });
    v.close.addEventListener("click", function () { self.close(); });
    v.restart.addEventListener("click", function () { self.restart(); });
    v.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submit();
    });
    v.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.submit();
      }
    });
    v.input.addEventListener("input", function () { self.autosize(); });
    v.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.stopPropagation();
        self.close();
      }
    });
  };

  Widget.prototype.isOpen = function () { return !this.view.panel.hidden; };

  Widget.prototype.open = function () {
    var v = this.view;
    v.panel.hidden = false;
    v.launcher.setAttribute("aria-expanded", "true");
    v.launcher.setAttribute("aria-label", "Close chat: " + this.cfg.title);
    v.badge.hidden = true;
    if (!this.greeted && !this.session) this.greet();
    this.scrollDown();
    v.input.focus();
  };

  Widget.prototype.close = function () {
    var v = this.view;
    v.panel.hidden = true;
    v.launcher.setAttribute("aria-expanded", "false");
    v.launcher.setAttribute("aria-label", "Open chat: " + this.cfg.title);
    v.launcher.focus();
  };

  Widget.prototype.greet = function () {
    this.greeted = true;
    this.add("assistant", this.cfg.greeting);
  };

  Widget.prototype.restart = function () {
    if (this.busy) return;
    this.forget();
    this.view.log.textContent = "";
    this.setStatus("bot");
    this.greet();
    this.view.input.focus();
  };

  /** Drop the stored conversation (a new one opens with the next message). */
  Widget.prototype.forget = function () {
    this.session = null;
    this.seen = 0;
    saveSession(this.cfg.storageKey, null);
    this.stopPolling();
  };

  Widget.prototype.autosize = function () {
    var input = this.view.input;
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 120) + "px";
  };

  Widget.prototype.scrollDown = function () { this.view.log.scrollTop = this.view.log.scrollHeight; };

  Widget.prototype.add = function (role, text) {
    var node = messageNode(role, text);
    this.view.log.appendChild(node);
    this.scrollDown();
    return node;
  };

  Widget.prototype.notice = function (text, isError) {
    var node = el("p", { class: "notice" + (isError ? " error" : ""), text: text });
    if (isError) node.setAttribute("role", "alert");
    this.view.log.appendChild(node);
    this.scrollDown();
    return node;
  };

  Widget.prototype.headers = function (extra) {
    var headers = extra || {};
    if (this.session) headers.Authorization = "Bearer " + this.session.token;
    return headers;
  };

  // ------------------------------------------------ status: bot, handoff pending, with an agent

  Widget.prototype.setStatus = function (status) {
    var before = this.status, v = this.view;
    this.status = status;
    if (status === "handoff_pending") {
      this.showStatus("A human agent has been requested. They will reply here.", false);
    } else if (status === "with_agent") {
      this.showStatus("A support agent has joined the conversation.", true);
    } else {
      v.status.hidden = true;
    }
    if (before !== status) this.announceChange(before, status);
    if (HUMAN_STATUSES[status]) this.startPolling();
    else this.stopPolling();
  };

  Widget.prototype.showStatus = function (text, joined) {
    var v = this.view;
    v.status.textContent = "";
    v.status.appendChild(el("span", { class: "dot", "aria-hidden": "true" }));
    v.status.appendChild(document.createTextNode(text));
    v.status.className = "status" + (joined ? " agent" : "");
    v.status.hidden = false;
  };

  Widget.prototype.announceChange = function (before, after) {
    if (this.restoring) return;
    if (after === "handoff_pending") this.notice("A human agent has been requested.");
    else if (after === "with_agent") this.notice("A support agent has joined the conversation.");
    else if (HUMAN_STATUSES[before] && after === "bot") this.notice("The agent has left. The AI assistant is back.");
    else if (after === "closed") this.notice("This conversation has been closed.");
  };

  Widget.prototype.startPolling = function () {
    var self = this;
    if (this.pollTimer) return;
    this.pollTimer = setInterval(function () {
      if (!self.busy) self.refresh().catch(function () { /* next tick retries */ });
    }, POLL_MS);
  };

  Widget.prototype.stopPolling = function () {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  };

  // ------------------------------------------------ reading the conversation back

  Widget.prototype.fetchConversation = function () {
    var url = this.cfg.endpoint + "/v1/conversations/" + encodeURIComponent(this.session.id);
    return fetch(url, { headers: this.headers({ Accept: "application/json" }), credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : problemOf(response).then(function (e) { throw e; }); });
  };

  /** After a page load: the stored conversation's transcript and status. */
  Widget.prototype.restore = function (attempt) {
    var self = this;
    attempt = attempt || 0;
    this.restoring = true;
    return this.fetchConversation().then(function (conversation) {
      self.view.log.textContent = "";
      self.greeted = true;
      self.seen = 0;
      self.showNew(conversation.messages, 0);
      self.setStatus(conversation.status);
      self.restoring = false;
    }).catch(function (error) {
      self.restoring = false;
      if (error instanceof ApiError && [401, 403, 404].indexOf(error.status) !== -1) {
        self.forget(); // expired or unknown: a fresh conversation opens with the next message
        return;
      }
      if (attempt < RETRIES) return sleep(backoff(attempt)).then(function () { return self.restore(attempt + 1); });
    });
  };

  /** Render transcript lines not yet on screen; `skip` of them are this tab's own. */
  Widget.prototype.showNew = function (messages, skip) {
    var fresh = messages.slice(this.seen);
    var agentArrived = false;
    for (var i = 0; i < fresh.length; i++) {
      if (i < skip && fresh[i].role !== "agent") continue;
      this.add(fresh[i].role, fresh[i].content);
      if (fresh[i].role === "agent") agentArrived = true;
    }
    this.seen = messages.length;
    if (agentArrived && !this.isOpen()) this.view.badge.hidden = false;
  };

  /** Poll: new messages from the agent, and the status. */
  Widget.prototype.refresh = function () {
    var self = this;
    if (!this.session) return Promise.resolve();
    return this.fetchConversation().then(function (conversation) {
      self.showNew(conversation.messages, 0);
      self.setStatus(conversation.status);
      return conversation;
    });
  };

  // ------------------------------------------------ sending a turn

  Widget.prototype.submit = function () {
    var text = this.view.input.value.trim();
    if (!text || this.busy) return;
    this.view.input.value = "";
    this.autosize();
    this.sendTurn(text);
  };

  Widget.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.view.send.disabled = busy;
    this.view.log.setAttribute("aria-busy", busy ? "true" : "false");
  };

  Widget.prototype.sendTurn = function (text) {
    var self = this;
    this.setBusy(true);
    this.add("user", text);
    var pending = this.add("assistant", "");
    pending.bubble.appendChild(typingNode());
    var turn = { text: text, pending: pending, baseline: this.seen, started: false, done: null };
    return this.attempt(turn, 0).catch(function (error) {
      self.dropPending(turn);
      self.notice(politeError(error), true);
    }).then(function () {
      self.setBusy(false);
    });
  };

  /** One try at the turn; network failures and busy conversations are retried with backoff. */
  Widget.prototype.attempt = function (turn, tries) {
    var self = this;
    return this.post(turn).catch(function (error) {
      if (turn.done) return;
      var retriable = !(error instanceof ApiError) || error.status === 409 || error.status === 503;
      if (error instanceof ApiError && [401, 403, 404].indexOf(error.status) !== -1 && self.session && !turn.renewed) {
        turn.renewed = true; // the stored conversation is gone: open a new one with this message
        self.forget();
        self.notice("Your previous conversation has expired, so a new one was started.");
        return self.attempt(turn, tries);
      }
      if (!retriable || tries >= RETRIES) throw error;
      return sleep(error.retryAfter ? error.retryAfter * 1000 : backoff(tries))
        .then(function () { return self.recover(turn); })
        .then(function (recovered) { return recovered ? null : self.attempt(turn, tries + 1); });
    });
  };

  Widget.prototype.post = function (turn) {
    var self = this, body = { message: turn.text };
    if (this.session) body.conversation_id = this.session.id;
    var controller = new AbortController();
    var idle = null;
    function activity() {
      clearTimeout(idle);
      idle = setTimeout(function () { controller.abort(); }, STREAM_IDLE_MS);
    }
    activity();
    return fetch(this.cfg.endpoint + "/v1/chat", {
      method: "POST",
      headers: this.headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify(body),
      credentials: "omit",
      signal: controller.signal,
    }).then(function (response) {
      if (!response.ok) return problemOf(response).then(function (e) { throw e; });
      turn.started = true;
      return readEvents(response, function (name, data) { self.onEvent(turn, name, data); }, activity);
    }).then(function () {
      if (!turn.done) throw new Error("stream ended early");
    }).finally(function () {
      clearTimeout(idle);
    });
  };

  Widget.prototype.onEvent = function (turn, name, data) {
    if (name === "meta") this.remember(data);
    else if (name === "delta") this.appendDelta(turn, data.text || "");
    else if (name === "handoff") this.onHandoff();
    else if (name === "done") this.finish(turn, data);
    else if (name === "error") throw new ApiError(data.status || 503, data.title || "Turn failed", data.detail || "");
  };

  Widget.prototype.remember = function (data) {
    if (!data.conversation_id || !data.conversation_token) return;
    this.session = { id: data.conversation_id, token: data.conversation_token };
    saveSession(this.cfg.storageKey, this.session);
  };

  Widget.prototype.appendDelta = function (turn, text) {
    var bubble = turn.pending.bubble;
    if (!turn.streamed) {
      bubble.textContent = "";
      turn.streamed = true;
    }
    bubble.appendChild(document.createTextNode(text));
    this.scrollDown();
  };

  Widget.prototype.onHandoff = function () {
    if (this.status === "bot") this.setStatus("handoff_pending");
  };

  /** `done`: the final reply replaces the streamed text; then sync status and any agent lines. */
  Widget.prototype.finish = function (turn, data) {
    var self = this;
    turn.done = data;
    this.remember(data);
    if (data.reply) turn.pending.bubble.textContent = data.reply;
    else this.dropPending(turn);
    if (data.route === "handoff" && this.status === "bot") this.setStatus("handoff_pending");
    this.scrollDown();
    setTimeout(function () {
      self.fetchConversation().then(function (conversation) {
        self.showNew(conversation.messages, Math.max(0, conversation.messages.length - turn.baseline));
        self.setStatus(conversation.status);
      }).catch(function () { /* polling or the next turn catches up */ });
    }, 0);
  };

  Widget.prototype.dropPending = function (turn) {
    if (turn.pending.parentNode) turn.pending.parentNode.removeChild(turn.pending);
  };

  /**
   * After a dropped stream or a failed request: did the turn reach the server anyway? If the
   * transcript grew past where it stood, show the server's final state instead of resending.
   */
  Widget.prototype.recover = function (turn) {
    var self = this;
    if (!this.session) return Promise.resolve(false);
    return this.fetchConversation().then(function (conversation) {
      var added = conversation.messages.slice(turn.baseline);
      var answered = added.some(function (m) { return m.role === "user"; }) &&
        added.some(function (m) { return m.role !== "user"; });
      if (!answered && !turn.started) return false;
      if (!answered) throw new Error("turn still running"); // retried after another pause
      var reply = added.filter(function (m) { return m.role === "assistant"; }).pop();
      if (reply) turn.pending.bubble.textContent = reply.content;
      else self.dropPending(turn);
      turn.done = { reply: reply ? reply.content : "" };
      self.seen = conversation.messages.length;
      added.forEach(function (m) { if (m.role === "agent") self.add("agent", m.content); });
      self.setStatus(conversation.status);
      return true;
    });
  };

  // ---------------------------------------------------------------- start

  function start() {
    var cfg = readConfig(ownScript());
    window.__guardchatWidget = new Widget(cfg);
  }

  var tag = ownScript(); // currentScript is only set while this file first runs
  if (tag) tag.setAttribute("data-guardchat-loaded", "");
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { window.__guardchatWidget = new Widget(readConfig(tag)); });
  } else {
    window.__guardchatWidget = new Widget(readConfig(tag));
  }
})();

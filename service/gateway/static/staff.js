/*
 * What the staff pages (the agent console, /agent, and the audit page, /audit) share: values
 * kept in sessionStorage (this tab only), the API's problem+json errors, the alert that shows
 * them, and building elements with textContent only. The gateway serves it at the head of
 * each page's own script (`/agent.js`, `/audit.js`), so each page loads one script.
 */
(() => {
  "use strict";

  const session = {
    get: (key) => {
      try { return sessionStorage.getItem(key) || ""; } catch { return ""; }
    },
    set: (key, value) => {
      try {
        if (value) sessionStorage.setItem(key, value);
        else sessionStorage.removeItem(key);
      } catch { /* storage off: ask again next time */ }
    },
  };

  class ApiError extends Error {
    constructor(status, title, detail) {
      super(detail || title);
      this.status = status;
    }
  }

  /** A failed response as an ApiError with problem+json's title and detail. */
  async function apiError(response) {
    const problem = await response.json().catch(() => ({}));
    return new ApiError(response.status, problem.title || response.statusText, problem.detail || "");
  }

  /**
   * `showError(error)` for a page: hides the alert for null, signs out on a refused token
   * (`role`: whose token), else says what failed (`unreachable`: when the service is down).
   */
  function errorShower({ role, unreachable, signOut }) {
    return (error) => {
      const alert = document.getElementById("alert");
      if (!error) {
        alert.hidden = true;
        return;
      }
      if (error instanceof ApiError && error.status === 401) {
        signOut(`That ${role} token was not accepted. Please sign in again.`);
        return;
      }
      alert.textContent = error instanceof ApiError ? `Could not complete that: ${error.message}` : unreachable;
      alert.hidden = false;
    };
  }

  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  function when(iso) {
    if (!iso) return "";
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
  }

  window.guardchatStaff = Object.freeze({ session, ApiError, apiError, errorShower, el, when });
})();

// The nav search box suggests as one types, following the ARIA combobox pattern (a list
// box the arrow keys move through). Without this script it is a plain search form, and
// any failure to fetch leaves it one.
(function () {
  "use strict";
  const input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch || !window.AbortController) return;
  // The words it says come from the page, in its language (data-* on the box).
  const words = input.dataset;
  function say(text, fallback, n) {
    return (text || fallback).replace("{n}", String(n));
  }
  function kindLabel(kind) {
    const key = "kind" + kind.charAt(0).toUpperCase() + kind.slice(1);
    return words[key] || kind.charAt(0).toUpperCase() + kind.slice(1);
  }

  const list = document.createElement("ul");
  list.id = input.id + "-suggestions";
  list.className = "search-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", words.suggestionsLabel || "Suggestions");
  list.hidden = true;
  const status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.form.append(list, status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  let items = [];
  let active = -1;
  let asked = "";
  let timer = 0;
  let pending = null;

  function show(open) {
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) choose(-1);
  }

  function choose(index) {
    const options = list.children;
    if (options[active]) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (options[index]) {
      options[index].setAttribute("aria-selected", "true");
      options[index].scrollIntoView({ block: "nearest" });
      input.setAttribute("aria-activedescendant", options[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function go(index) {
    window.location.assign(items[index].url);
  }

  function render(suggestions) {
    items = suggestions;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.replaceChildren(
      ...suggestions.map(function (suggestion, index) {
        const option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        const title = document.createElement("span");
        title.className = "suggestion-title";
        title.textContent = suggestion.title;
        const meta = document.createElement("span");
        meta.className = "suggestion-meta";
        const kind = kindLabel(suggestion.kind);
        meta.textContent = suggestion.subtitle ? kind + " · " + suggestion.subtitle : kind;
        option.append(title, meta);
        // Keep the focus in the box, so that a click chooses rather than blurs.
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { go(index); });
        return option;
      })
    );
    show(suggestions.length > 0);
    const n = suggestions.length;
    status.textContent = n
      ? n === 1
        ? say(words.suggestionsOne, "{n} suggestion, arrow keys to choose", n)
        : say(words.suggestionsMany, "{n} suggestions, arrow keys to choose", n)
      : asked.length >= 2
        ? say(words.suggestionsNone, "No suggestions; press Enter to search", 0)
        : "";
  }

  function ask() {
    const query = input.value.trim();
    if (query === asked) return;
    asked = query;
    if (pending) pending.abort();
    if (query.length < 2) {
      render([]);
      return;
    }
    pending = new AbortController();
    const url = input.dataset.suggest + "?" + new URLSearchParams({ q: query });
    fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (asked !== query) return;
        if (data) {
          render(data.suggestions);
        } else {
          forget();
        }
      })
      .catch(function (error) {
        // Offline or refused: no stale list, and the same text is asked again next time.
        // (An abort means a newer question is on its way.)
        if (error.name !== "AbortError" && asked === query) forget();
      });
  }

  function forget() {
    asked = "";
    items = [];
    list.replaceChildren();
    show(false);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) return;
      event.preventDefault();
      if (list.hidden) show(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      choose((active + step + items.length + (active < 0 && step < 0 ? 1 : 0)) % items.length);
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      go(active);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      show(false);
    }
  });

  // Leaving the box closes the list, and cancels a question still on its way.
  input.addEventListener("blur", function () {
    clearTimeout(timer);
    if (pending) pending.abort();
    asked = "";
    show(false);
  });
})();

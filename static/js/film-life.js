/* The film header's own part for a member: rate, log a viewing, add to or remove from the
 * watchlist without leaving the page. Each is a plain form that works without this script
 * (POST, then back to the page); here it is sent with fetch, the server answers the part
 * rendered afresh and a sentence, which the live region announces. A star chosen with the
 * pointer sends the rating at once; from the keyboard, arrows only move and the Rate button
 * sends (so moving through the stars does not post ten ratings). */
(function () {
  "use strict";

  function focusKey(element) {
    if (!element || !element.form) return null;
    return element.id ? "#" + element.id : null;
  }

  function send(root, form, submitter) {
    var body = new FormData(form);
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    var status = root.querySelector("[data-film-life-status]");
    var part = root.querySelector("[data-film-life-body]");
    var active = document.activeElement;
    var key = focusKey(active);
    var formIndex = Array.prototype.indexOf.call(part.querySelectorAll("form"), form);
    root.setAttribute("aria-busy", "true");
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(
        function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") !== -1) return response.json();
          // The server answered with a page (a wait, a refusal, an error): it has decided,
          // so the form is not sent again; its heading says what happened.
          return response.text().then(function (text) {
            var page = new DOMParser().parseFromString(text, "text/html");
            var heading = page.querySelector("main h1, h1") || page.querySelector("title");
            return { message: heading ? heading.textContent.trim() : response.statusText };
          });
        },
        function () {
          form.submit(); // no answer at all: the plain form, whose page says what happened
          return null;
        }
      )
      .then(function (data) {
        if (!data) return;
        var summary = root.parentNode.querySelector("[data-film-ratings-summary]");
        if (data.summary && summary) summary.innerHTML = data.summary;
        if (data.html) {
          part.innerHTML = data.html;
          var target = key ? part.querySelector(key) : null;
          if (!target) {
            var forms = part.querySelectorAll("form");
            var same = forms[formIndex] || forms[0];
            target = same ? same.querySelector("button, input:not([type=hidden])") : null;
          }
          if (target) target.focus();
        }
        status.textContent = "";
        // A fresh text node, a moment later, so the same sentence is announced again.
        window.setTimeout(function () {
          status.textContent = data.message || "";
        }, 50);
      })
      .catch(function () {
        window.location.reload(); // an answer it cannot read: show the page as it now is
      })
      .finally(function () {
        root.removeAttribute("aria-busy");
      });
  }

  function wire(root) {
    var pointerAt = 0;
    root.addEventListener("pointerdown", function (event) {
      if (event.target.closest(".rate-form .stars")) pointerAt = Date.now();
    });
    root.addEventListener("change", function (event) {
      var radio = event.target;
      if (!radio.matches(".rate-form .star-radio")) return;
      if (Date.now() - pointerAt > 1500) return; // the keyboard: wait for the button
      send(root, radio.form, null);
    });
    root.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches("form[data-film-life-form]")) return;
      event.preventDefault();
      send(root, form, event.submitter);
    });
  }

  document.querySelectorAll("[data-film-life]").forEach(wire);
})();

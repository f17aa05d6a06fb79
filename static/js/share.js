// Share buttons (templates/includes/share.html). Without this script each is a disclosure
// holding the page's address to copy. With it, a button: the browser's share sheet where
// there is one, else the address copied to the clipboard and "Link copied" announced.
// When neither works, the disclosure comes back, open, with the address selected.
// What it announces comes from the box's data- attributes, in the page's language.
(function () {
  "use strict";
  const canShare = typeof navigator.share === "function";
  const canCopy = Boolean(navigator.clipboard && navigator.clipboard.writeText);
  if (!canShare && !canCopy) return;

  document.querySelectorAll("[data-share]").forEach(function (box) {
    const button = box.querySelector("[data-share-button]");
    const details = box.querySelector("details");
    const input = box.querySelector("[data-share-url]");
    const status = box.querySelector("[data-share-status]");
    if (!button || !details || !input || !status) return;
    let timer = 0;

    function announce(message) {
      // Emptied first, so the same message twice in a row is announced twice.
      status.textContent = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        status.textContent = message;
        timer = window.setTimeout(function () { status.textContent = ""; }, 8000);
      }, 100);
    }

    function letThemCopy() {
      button.hidden = true;
      details.hidden = false;
      details.open = true;
      input.focus();
      input.select();
      announce(box.dataset.shareCopyYourself || "Copy the link from the box.");
    }

    function copy() {
      if (!canCopy) {
        letThemCopy();
        return;
      }
      navigator.clipboard.writeText(input.value).then(function () {
        announce(box.dataset.shareCopied || "Link copied");
      }, letThemCopy);
    }

    function meta(property) {
      const tag = document.querySelector('meta[property="' + property + '"]');
      return tag ? tag.content : "";
    }

    button.addEventListener("click", function () {
      // What another page is shared with is on its box; this page's is in its meta tags.
      const data = {
        title: box.dataset.shareTitle || meta("og:title") || document.title,
        url: input.value,
      };
      const text = "shareTitle" in box.dataset ? box.dataset.shareText : meta("og:description");
      if (text) data.text = text;
      if (canShare && (typeof navigator.canShare !== "function" || navigator.canShare(data))) {
        navigator.share(data).catch(function (error) {
          // Closing the share sheet is the reader's choice, not a failure.
          if (error && error.name === "AbortError") return;
          copy();
        });
      } else {
        copy();
      }
    });
    input.addEventListener("focus", function () { input.select(); });

    details.hidden = true;
    button.hidden = false;
  });
})();

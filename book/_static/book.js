// Page behaviour of 「학습률」 on top of sphinx-book-theme.
"use strict";

(() => {
  // A first visit has no stored colour mode; the theme takes the empty mode for an
  // invalid one and logs an error before falling back to "auto". Start from "auto".
  const root = document.documentElement;
  if (!root.dataset.mode) {
    root.dataset.mode = "auto";
    root.dataset.theme = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  // The theme binds the sidebar buttons (☰ and "이 페이지") to the first element of each
  // class, a copy hidden in the site header; the visible buttons in the article header
  // get no handler. Forward their clicks to the bound copy, which opens the drawer on
  // narrow screens and collapses the sidebar on wide ones.
  function forwardSidebarToggles() {
    for (const selector of [".primary-toggle", ".secondary-toggle"]) {
      const [bound, ...copies] = document.querySelectorAll(selector);
      for (const copy of copies) {
        copy.addEventListener("click", (event) => {
          event.preventDefault();
          event.stopPropagation();
          bound.click();
        });
      }
    }
  }

  // Search summaries are cut from the page text, where math is still TeX source
  // (MathJax typesets it only in the browser). Show an ellipsis in its place.
  function hideTexInSearchSummaries() {
    // searchtools.js declares Search with const: a global name, not a window property.
    if (typeof Search === "undefined") return;
    const htmlToText = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      const page = new DOMParser().parseFromString(htmlString, "text/html");
      for (const math of page.querySelectorAll(".math")) math.replaceWith("…");
      return htmlToText(page.documentElement.outerHTML, anchor);
    };
  }

  document.addEventListener("DOMContentLoaded", () => {
    forwardSidebarToggles();
    hideTexInSearchSummaries();
  });
})();

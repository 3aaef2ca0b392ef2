/* Small progressive enhancements on every page; each page works without them.
   - The skip link focuses the main content.
   - An error summary takes focus when the page loads, so a screen reader reads it first and a
     keyboard user starts from it; its links move focus to the field itself (a plain #link
     only scrolls), with the field's label in view.
   - A wide table sits in a .table-scroll container; when it is wider than the window the
     container becomes a labelled region that can be focused and scrolled with the keyboard.
     Tables a template did not wrap are wrapped here. */
(function () {
  "use strict";

  // The skip link moves focus to the main content without adding #main to the address: a
  // form posted from the page would carry it, and the browser would then focus main on the
  // next page instead of its error summary.
  var skip = document.querySelector(".skip-link");
  var main = document.getElementById("main");
  if (skip && main) {
    skip.addEventListener("click", function (event) {
      event.preventDefault();
      main.focus();
      main.scrollIntoView();
    });
  }

  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
    // A #fragment in the address would take focus back once the page has loaded.
    window.addEventListener("load", function () {
      if (!summary.contains(document.activeElement)) {
        summary.focus();
      }
    });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) {
        return;
      }
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
      (legend || label || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("main table"), function (table) {
    if (table.closest(".table-scroll, .table-column")) {
      return;
    }
    var wrapper = document.createElement("div");
    wrapper.className = "table-scroll";
    table.parentNode.insertBefore(wrapper, table);
    wrapper.appendChild(table);
  });

  var scrollers = document.querySelectorAll(".table-scroll");

  function label(wrapper) {
    var caption = wrapper.querySelector("caption");
    var heading = wrapper.closest("section") && wrapper.closest("section").querySelector("h2, h3");
    var text = (caption || heading || { textContent: "Table" }).textContent.trim();
    return text + " (scrolls sideways)";
  }

  // A visible note before a table that scrolls: its cut-off columns are otherwise easy to miss.
  function hint(wrapper) {
    var note = wrapper.previousElementSibling;
    if (!note || !note.classList.contains("scroll-hint")) {
      note = document.createElement("p");
      note.className = "scroll-hint hint";
      note.setAttribute("aria-hidden", "true");
      note.textContent = "Scroll the table sideways to see all its columns.";
      wrapper.parentNode.insertBefore(note, wrapper);
    }
    return note;
  }

  function update() {
    Array.prototype.forEach.call(scrollers, function (wrapper) {
      if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", label(wrapper));
        hint(wrapper).hidden = false;
      } else if (wrapper.getAttribute("role") === "region") {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
        wrapper.removeAttribute("aria-label");
        hint(wrapper).hidden = true;
      }
    });
  }

  update();
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 100);
  });
})();

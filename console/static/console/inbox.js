/* The inbox as a working desk: the split view, keyboard shortcuts, live waiting times,
   ticking conversations for bulk actions, the conversation's tabs. No inline script: the
   Content-Security-Policy allows none. Texts come from data attributes the server translated. */
(function () {
  "use strict";

  var body = document.body;
  var split = document.getElementById("inbox-split");
  if (!split) return;
  var lang = document.documentElement.lang || "en";

  // --- times: "waiting 3 min" and "5 minutes ago", in the page's language -------------------

  function unit(n, name) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "short" }).format(n);
    } catch (e) {
      return n + " " + name;
    }
  }

  function duration(seconds) {
    if (seconds < 60) return unit(seconds, "second");
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return unit(minutes, "minute");
    var hours = Math.floor(minutes / 60);
    if (hours < 48) return unit(hours, "hour") + (minutes % 60 ? " " + unit(minutes % 60, "minute") : "");
    return unit(Math.floor(hours / 24), "day");
  }

  var relativeFormat = null;
  try {
    relativeFormat = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  } catch (e) { /* an old browser keeps the server's text */ }

  function relative(secondsAgo) {
    var steps = [[60, "second", 1], [3600, "minute", 60], [86400, "hour", 3600],
      [86400 * 30, "day", 86400], [86400 * 365, "month", 86400 * 30]];
    for (var i = 0; i < steps.length; i++) {
      if (secondsAgo < steps[i][0]) {
        return relativeFormat.format(-Math.floor(secondsAgo / steps[i][2]), steps[i][1]);
      }
    }
    return relativeFormat.format(-Math.floor(secondsAgo / (86400 * 365)), "year");
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".waiting[data-since]").forEach(function (el) {
      var seconds = Math.max(0, Math.floor((now - Date.parse(el.dataset.since)) / 1000));
      el.textContent = (el.dataset.template || "%(time)s").replace("%(time)s", duration(seconds));
      el.classList.toggle("long", seconds >= 600);
    });
    if (relativeFormat) {
      document.querySelectorAll("time.rel[datetime]").forEach(function (el) {
        var seconds = Math.max(0, Math.floor((now - Date.parse(el.getAttribute("datetime"))) / 1000));
        el.textContent = relative(seconds);
      });
    }
  }
  tick();
  setInterval(tick, 1000);

  // --- the split view: which conversation is open -------------------------------------------

  function openId() {
    var pane = document.querySelector("#conv-pane [data-open-conversation]");
    return pane ? pane.dataset.openConversation : "";
  }

  function markOpen() {
    var id = openId();
    split.classList.toggle("has-open", Boolean(id));
    if (id) body.dataset.conversation = id; else delete body.dataset.conversation;
    document.querySelectorAll("#conversations tr.conv-row").forEach(function (row) {
      row.classList.toggle("selected", row.dataset.conversation === id);
    });
    // The list's live refreshes keep the open conversation in the address bar.
    var form = document.getElementById("inbox-filters");
    var input = document.getElementById("open-conversation");
    if (form && id && !input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "open";
      input.id = "open-conversation";
      form.appendChild(input);
    }
    if (input) input.value = id;
  }

  function scrollFeeds() {
    document.querySelectorAll("#conv-pane .scroll-feed").forEach(function (feed) {
      feed.scrollTop = feed.scrollHeight;
    });
  }

  body.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail.target;
    if (!target) return;
    if (target.id === "conv-pane") {
      markOpen();
      scrollFeeds();
      var heading = target.querySelector("h1");
      if (heading) document.title = heading.textContent.trim();
      if (window.matchMedia("(max-width: 768px)").matches) window.scrollTo(0, 0);
    } else if (target.id === "inbox-list") {
      markOpen();
      syncBulk();
    } else if (target.id === "thread" || target.id === "timeline") {
      target.scrollTop = target.scrollHeight;
    }
    tick();
  });
  markOpen();
  scrollFeeds();

  // --- tabs: this conversation | the whole timeline -----------------------------------------

  document.addEventListener("click", function (e) {
    var tab = e.target.closest && e.target.closest("#conv-pane [role=tab]");
    if (!tab) return;
    tab.parentElement.querySelectorAll("[role=tab]").forEach(function (other) {
      var selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      var panel = document.getElementById(other.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
    });
    scrollFeeds();
  });

  // --- keyboard shortcuts ---------------------------------------------------------------------

  var help = document.getElementById("shortcuts");
  var helpButton = document.getElementById("shortcuts-open");
  if (helpButton && help) helpButton.addEventListener("click", function () { help.showModal(); });

  function typing(target) {
    return target && target.closest &&
      target.closest("input, textarea, select, button, [contenteditable=''], [contenteditable=true]") &&
      !(target.matches && target.matches("input[type=checkbox], button"));
  }

  // Opens a row's conversation in the pane. A list that a live refresh just swapped in is
  // processed by htmx only when it settles (20 ms later): a key pressed in between would follow
  // the plain link and reload the whole page, so the link is processed first (a no-op when it
  // already is).
  function openRow(row) {
    var link = row.querySelector("a.conv-link");
    if (!link) return;
    if (window.htmx) window.htmx.process(link);
    link.click();
  }

  function move(step) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("#conversations tr.conv-row"));
    if (!rows.length) return;
    var current = rows.findIndex(function (row) { return row.dataset.conversation === openId(); });
    var next = current < 0 ? (step > 0 ? 0 : rows.length - 1)
      : Math.min(rows.length - 1, Math.max(0, current + step));
    if (next === current) return;
    rows[next].scrollIntoView({ block: "nearest" });
    openRow(rows[next]);
  }

  function reply() {
    var box = document.getElementById("reply-body");
    if (!box) return;
    box.scrollIntoView({ block: "center" });
    box.focus();
  }

  function resolve() {
    var select = document.getElementById("wrap-up");
    if (!select) return;
    select.scrollIntoView({ block: "center" });
    select.focus();
  }

  function takeIt() {
    var form = document.getElementById("quick-take");
    if (form) form.requestSubmit();
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (e.key === "Escape") {
      if (typing(e.target)) e.target.blur();
      return;
    }
    if (typing(e.target) || (help && help.open)) return;
    var actions = {
      j: function () { move(1); }, ArrowDown: function () { move(1); },
      k: function () { move(-1); }, ArrowUp: function () { move(-1); },
      r: reply, e: resolve, a: takeIt,
      "/": function () { var q = document.getElementById("inbox-q"); if (q) q.focus(); },
      "?": function () { if (help) help.showModal(); },
    };
    var action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  });

  // A click anywhere on a row (not on its own links, buttons or box) opens it.
  document.addEventListener("click", function (e) {
    var row = e.target.closest && e.target.closest("#conversations tr.conv-row");
    if (!row || e.target.closest("a, button, input, label, form")) return;
    openRow(row);
  });

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("#quick-resolve");
    if (link) { e.preventDefault(); resolve(); }
  });

  // --- ticking conversations for bulk actions -------------------------------------------------

  function syncBulk() {
    var bar = document.getElementById("bulk-form");
    if (!bar) return;
    var ticked = document.querySelectorAll("#conversations input[name=ids]:checked").length;
    bar.hidden = ticked === 0;
    var count = document.getElementById("bulk-count");
    if (count) count.textContent = (bar.dataset.countText || "%(n)s").replace("%(n)s", String(ticked));
  }

  // A live refresh of the list keeps what the agent ticked.
  var ticked = [];
  body.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.target && e.detail.target.id === "inbox-list") {
      ticked = Array.prototype.map.call(
        document.querySelectorAll("#conversations input[name=ids]:checked"),
        function (box) { return box.value; });
    }
  });
  body.addEventListener("htmx:afterSwap", function (e) {
    if (!e.detail.target || e.detail.target.id !== "inbox-list") return;
    document.querySelectorAll("#conversations input[name=ids]").forEach(function (box) {
      if (ticked.indexOf(box.value) >= 0) box.checked = true;
    });
    syncBulk();
  });

  document.addEventListener("change", function (e) {
    if (e.target.id === "tick-all") {
      document.querySelectorAll("#conversations input[name=ids]").forEach(function (box) {
        box.checked = e.target.checked;
      });
    }
    if (e.target.id === "tick-all" || e.target.name === "ids") syncBulk();
  });
  syncBulk();
})();

/* The desk console's small amount of behaviour: live updates, canned responses, toggles. */
(function () {
  "use strict";

  // Errors (400/403/409) come back as the form with the message in it: show them in place.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true, error: false },
    { code: "...", swap: false, error: true },
  ];

  // Menus that apply as soon as one picks (language, outbox filter). Not an inline onchange:
  // the Content-Security-Policy allows no inline script.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });

  var body = document.body;
  var live = document.getElementById("live-status");
  var socket = null;
  var retry = 1000;

  function setLive(state) {
    if (!live) return;
    live.dataset.state = state;
    live.textContent = live.dataset[state] || state;
  }

  function toast(text, href) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var link = document.createElement("a");
    link.className = "toast";
    link.href = href;
    link.textContent = text;
    box.appendChild(link);
    setTimeout(function () { link.remove(); }, 8000);
  }

  function notify(event) {
    var box = document.getElementById("toasts");
    if (!box) return;
    if (event.kind === "message" && event.conversation) {
      var me = Number(body.dataset.user);
      var here = Number(body.dataset.conversation || 0);
      if ((event.assignee && event.assignee !== me) || here === event.conversation) return;
      if (document.getElementById("inbox-list")) return;  // the inbox shows it already
      toast((box.dataset.newMessage || "New message") + ": " + (event.label || ""),
        body.dataset.conversationUrl.replace("0", String(event.conversation)));
    } else if (event.kind === "deadline") {
      var text = event.level > 0 ? box.dataset.deadlineEscalated : box.dataset.deadlineMissed;
      var href = event.case ? box.dataset.caseUrl.replace("0", String(event.case))
        : event.conversation ? body.dataset.conversationUrl.replace("0", String(event.conversation))
        : (box.dataset.callbacksUrl || "#");
      toast((text || "Deadline missed") + ": " + (event.label || ""), href);
    } else if (event.kind === "assigned" && event.assignee === Number(body.dataset.user)) {
      assigned(event, box);
    } else if (event.kind === "callback" && box.dataset.callbacksUrl &&
               !document.getElementById("callback-list")) {
      toast((box.dataset.newCallback || "Call back") + ": " + (event.label || ""),
        box.dataset.callbacksUrl);
    }
  }

  // A conversation given to me: a toast always; a sound and a desktop notice unless the agent
  // turned them off (kept in this browser's localStorage, on by default).
  var ALERTS_KEY = "console.assignment-alerts";
  function alertsOn() {
    try { return window.localStorage.getItem(ALERTS_KEY) !== "off"; } catch (e) { return true; }
  }
  var chime = null;
  function assigned(event, box) {
    var href = body.dataset.conversationUrl.replace("0", String(event.conversation));
    var text = (box.dataset.assigned || "Given to you") + ": " + (event.label || "");
    toast(text, href);
    if (!alertsOn()) return;
    if (box.dataset.sound) {
      chime = chime || new Audio(box.dataset.sound);
      chime.currentTime = 0;
      var played = chime.play();
      if (played && played.catch) played.catch(function () { /* no user gesture yet */ });
    }
    if ("Notification" in window && Notification.permission === "granted") {
      var notice = new Notification(box.dataset.assigned || "Given to you", {
        body: event.label || "", tag: "conversation-" + event.conversation,
      });
      notice.onclick = function () { window.focus(); window.location.href = href; };
    }
  }
  var alertsToggle = document.getElementById("alerts-toggle");
  if (alertsToggle) {
    alertsToggle.checked = alertsOn();
    alertsToggle.addEventListener("change", function () {
      try { window.localStorage.setItem(ALERTS_KEY, alertsToggle.checked ? "on" : "off"); } catch (e) {}
      if (alertsToggle.checked && "Notification" in window && Notification.permission === "default") {
        Notification.requestPermission();
      }
    });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/console/");
    socket.onopen = function () { retry = 1000; setLive("on"); };
    socket.onclose = function () {
      setLive("off");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.kind === "hello" || event.kind === "pong") return;
      // Fragments on the page listen for these and re-fetch themselves over HTTP.
      htmx.trigger(body, "console:" + event.kind, event);
      notify(event);
    };
  }
  if (body.dataset.user) {
    connect();
    setInterval(function () {
      if (socket && socket.readyState === 1) socket.send(JSON.stringify({ kind: "ping" }));
    }, 25000);
  }

  // Canned responses: choosing one puts its text (in the citizen's language) in the reply box.
  document.addEventListener("change", function (e) {
    var select = e.target.closest("select[data-insert-into]");
    if (select && select.value) {
      var box = document.querySelector(select.dataset.insertInto);
      box.value = box.value ? box.value + "\n" + select.value : select.value;
      box.focus();
      select.selectedIndex = 0;
    }
    var toggle = e.target.closest("[data-toggles]");
    if (toggle) syncToggles();
  });

  // Show a block only when a radio/select has a given value (e.g. "someone else" callers).
  function syncToggles() {
    document.querySelectorAll("[data-show-when]").forEach(function (block) {
      var rule = block.dataset.showWhen.split("=");
      var input = document.querySelector("[name='" + rule[0] + "']:checked") ||
        document.querySelector("select[name='" + rule[0] + "']");
      block.hidden = !(input && input.value === rule[1]);
    });
  }
  syncToggles();
  document.body.addEventListener("htmx:afterSwap", syncToggles);

  // Keep the newest timeline entry in view.
  function scrollTimeline() {
    var t = document.getElementById("timeline");
    if (t) t.scrollTop = t.scrollHeight;
  }
  scrollTimeline();
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target && e.detail.target.id === "timeline") scrollTimeline();
  });

  // Phones: the top bar's links and controls fold behind the menu button.
  document.addEventListener("click", function (e) {
    var toggle = e.target.closest && e.target.closest("[data-menu-toggle]");
    if (!toggle) return;
    var bar = toggle.closest(".topbar");
    var open = bar.classList.toggle("menu-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();

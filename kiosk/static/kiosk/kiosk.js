/* The kiosk touch page.
 *
 * Privacy on a public device: the only thing kept in browser storage is the device token
 * (a secret of the kiosk, not of a citizen). The citizen's session key and everything shown
 * about them live in this script's memory only; "Finish" and the idle countdown end the
 * session on the server and reload the page with location.replace, so nothing remains on
 * screen, in memory or in the history.
 */
(function () {
  "use strict";

  var API = "/kiosk/api/v1/";
  var TOKEN_KEY = "kiosk.deviceToken";
  var body = document.body;
  var texts = JSON.parse(document.getElementById("kiosk-texts").textContent);
  var language = document.documentElement.lang || "mn";
  var idleSeconds = parseInt(body.dataset.idle, 10) || 60;
  var countdownSeconds = parseInt(body.dataset.countdown, 10) || 15;

  var state = {
    session: "", // the citizen's session key: memory only
    screen: "start",
    catalogue: null,
    apply: {},
  };

  function $(id) { return document.getElementById(id); }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] !== undefined ? values[name] : all;
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // --- the server ---------------------------------------------------------------------

  function deviceToken() {
    try { return window.localStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }

  function call(method, path, data) {
    var headers = { "X-Kiosk-Language": language, "Accept": "application/json" };
    var token = deviceToken();
    if (token) headers.Authorization = "Kiosk " + token;
    if (state.session) headers["X-Kiosk-Session"] = state.session;
    if (data !== undefined) headers["Content-Type"] = "application/json";
    return fetch(path.charAt(0) === "/" ? path : API + path, {
      method: method,
      headers: headers,
      body: data !== undefined ? JSON.stringify(data) : undefined,
      credentials: "omit",
      cache: "no-store",
    }).then(function (response) {
      if (response.status === 204) return { ok: true, status: 204, body: {} };
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { ok: response.ok, status: response.status, body: json };
      });
    }, function () {
      return { ok: false, status: 0, body: { detail: texts.network } };
    });
  }

  function showError(answer) {
    var box = $("error");
    if (!answer) { box.hidden = true; box.textContent = ""; return; }
    box.textContent = answer.body.detail || texts.network;
    box.hidden = false;
  }

  // Every citizen call goes through here: a lost session or device is handled in one place.
  function request(method, path, data) {
    showError(null);
    return call(method, path, data).then(function (answer) {
      if (answer.status === 401) {
        try { window.localStorage.removeItem(TOKEN_KEY); } catch (e) { /* private mode */ }
        show("pair");
        showError({ body: { detail: texts.not_active } });
        throw answer;
      }
      if (answer.status === 403 && answer.body.code === "session_ended") {
        wipe();
        throw answer;
      }
      if (!answer.ok) {
        showError(answer);
        throw answer;
      }
      return answer.body;
    });
  }

  // --- screens ------------------------------------------------------------------------

  var identifiedScreens = ["home", "cases", "ticket", "apply", "question", "message"];

  function show(name) {
    state.screen = name;
    document.querySelectorAll(".screen").forEach(function (section) {
      section.hidden = section.id !== "screen-" + name;
    });
    var identified = !!state.session && identifiedScreens.indexOf(name) >= 0;
    $("finish").hidden = !state.session;
    $("go-start").hidden = !!state.session || name === "start" || name === "pair";
    document.querySelector(".languages").hidden = identified || name === "code";
    window.scrollTo(0, 0);
    if (loaders[name]) loaders[name]();
    idleReset();
  }

  var loaders = {
    catalogue: loadCatalogue,
    where: loadWhere,
    home: loadHome,
    cases: loadCases,
    identify: function () { clearEntry("id-entry"); },
    question: function () { clearEntry("question-entry"); },
    apply: startApply,
  };

  function catalogue() {
    if (state.catalogue) return Promise.resolve(state.catalogue);
    return request("GET", "catalogue/").then(function (data) {
      state.catalogue = data;
      return data;
    });
  }

  function loadCatalogue() {
    catalogue().then(function (data) {
      var list = $("service-list");
      list.textContent = "";
      data.services.forEach(function (service) {
        var button = el("button", { type: "button", className: "big service", text: service.name });
        button.addEventListener("click", function () { showService(service); });
        list.appendChild(button);
      });
    }, function () {});
  }

  function showService(service) {
    $("service-name").textContent = service.name;
    $("service-basis").textContent = service.legal_basis;
    $("service-eligibility").textContent = service.eligibility;
    $("service-amount").textContent = service.amount
      ? fill(texts.amount, service) : "";
    var list = $("service-documents");
    list.textContent = "";
    service.documents.forEach(function (doc) {
      var notes = [doc.when, doc.recent].filter(Boolean).join(" · ");
      list.appendChild(el("li", {}, [
        el("span", { text: doc.name }),
        notes ? el("small", { text: notes }) : null,
      ]));
    });
    show("service");
  }

  function loadWhere() {
    catalogue().then(function (data) {
      var box = $("where-offices");
      box.textContent = "";
      data.where.offices.forEach(function (office) {
        box.appendChild(el("article", { className: "card" }, [
          el("h2", { text: office.name }),
          el("p", { className: "muted", text: office.full_name }),
        ]));
      });
      var hours = data.where.hours;
      box.appendChild(el("article", { className: "card hours" }, [
        el("h2", { text: texts.office_hours }),
        el("p", { className: hours.open_now ? "open" : "closed", text: hours.status }),
        el("ul", {}, hours.rows.map(function (row) {
          return el("li", { text: row.day + ": " + row.hours });
        })),
      ]));
    }, function () {});
  }

  function loadHome() {
    request("GET", "me/").then(function (me) {
      $("greeting").textContent = me.first_name ? fill(texts.hello, { name: me.first_name }) : texts.hello_plain;
      $("masked-id").textContent = fill(texts.id_label, { id: me.national_id });
    }, function () {});
  }

  function loadCases() {
    request("GET", "cases/").then(function (data) {
      var list = $("case-list");
      list.textContent = "";
      if (!data.results.length) {
        list.appendChild(el("p", { className: "lead", text: texts.no_cases }));
        return;
      }
      data.results.forEach(function (item) {
        var missing = item.missing_documents.length
          ? el("div", {}, [
              el("p", { text: texts.bring }),
              el("ul", {}, item.missing_documents.map(function (name) { return el("li", { text: name }); })),
            ])
          : el("p", { className: "muted", text: texts.nothing_missing });
        var print = el("button", { type: "button", className: "primary", text: texts.print_ticket });
        print.addEventListener("click", function () { openTicket(item.number); });
        list.appendChild(el("article", { className: "card case", "data-number": item.number }, [
          el("h2", { text: item.number + " · " + item.service }),
          el("p", { className: "status status-" + item.status, text: item.status_label }),
          item.queue_position ? el("p", { className: "queue", text: fill(texts.queue_place, { place: item.queue_position }) }) : null,
          el("p", { text: item.next_step }),
          item.for_someone_else ? el("p", { className: "muted", text: texts.for_someone }) : null,
          missing,
          print,
        ]));
      });
    }, function () {});
  }

  function openTicket(number) {
    request("POST", "cases/" + encodeURIComponent(number) + "/ticket/", {}).then(function (t) {
      $("ticket-number").textContent = t.number;
      $("ticket-service").textContent = t.service;
      $("ticket-status").textContent = t.status_label;
      $("ticket-next").textContent = t.next_step;
      var bring = $("ticket-bring");
      bring.textContent = "";
      if (t.bring.length) {
        bring.appendChild(el("p", { text: texts.bring }));
        bring.appendChild(el("ul", {}, t.bring.map(function (name) { return el("li", { text: name }); })));
      }
      $("ticket-qr").src = t.qr;
      $("ticket-printed").textContent = t.printed;
      show("ticket");
    }, function () {});
  }

  // --- the on-screen keypads ----------------------------------------------------------

  var entries = {}; // target id -> typed value (memory only)

  function render(target) {
    var value = entries[target] || "";
    var output = $(target);
    if (output.classList.contains("masked")) {
      // A national ID is never on screen in full: letters, then dots, the last two digits.
      output.textContent = value.replace(/\d(?=\d{2})/g, "•");
    } else {
      output.textContent = value;
    }
  }

  function clearEntry(target) { entries[target] = ""; render(target); }

  function buildKeypad(pad) {
    var target = pad.dataset.target;
    var max = parseInt(pad.dataset.max, 10) || 12;
    var kind = pad.dataset.keys;
    var keys = "1234567890".split("");
    if (kind === "id") keys = body.dataset.idLetters.split("").concat(keys);
    if (kind === "text") keys = body.dataset.textLetters.split("").concat(keys, [".", ",", "?", "␣"]);
    keys.push("⌫");
    entries[target] = "";
    keys.forEach(function (key) {
      var button = el("button", { type: "button", className: "key" + (/\d/.test(key) ? " digit" : ""), text: key });
      if (key === "⌫") button.setAttribute("aria-label", "⌫");
      button.addEventListener("click", function () {
        var value = entries[target] || "";
        if (key === "⌫") value = value.slice(0, -1);
        else if (value.length < max) value += key === "␣" ? " " : key;
        entries[target] = value;
        render(target);
      });
      pad.appendChild(button);
    });
  }

  // --- identification -----------------------------------------------------------------

  function identify() {
    var nationalId = entries["id-entry"] || "";
    request("POST", "identify/", { national_id: nationalId }).then(function (answer) {
      state.session = answer.session;
      clearEntry("id-entry");
      clearEntry("code-entry");
      $("code-sent-to").textContent = fill(texts.code_sent, { address: answer.sent_to });
      show("code");
    }, function () {});
  }

  function verify() {
    request("POST", "verify/", { code: entries["code-entry"] || "" }).then(function () {
      clearEntry("code-entry");
      show("home");
    }, function (answer) {
      clearEntry("code-entry");
      if (answer && answer.status === 410) {
        // The code is used up: back to the ID, with the message still on screen.
        state.session = "";
        var message = answer.body;
        show("identify");
        showError({ body: message });
      }
    });
  }

  // --- what an identified citizen can do ----------------------------------------------

  function callback() {
    request("POST", "callback/", {}).then(function (answer) {
      $("message-text").textContent = answer.message;
      show("message");
    }, function () {});
  }

  function newRequestId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  var questionId = "";
  function sendQuestion() {
    questionId = questionId || newRequestId();
    request("POST", "question/", { text: entries["question-entry"] || "", request_id: questionId })
      .then(function (answer) {
        questionId = "";
        clearEntry("question-entry");
        $("message-text").textContent = answer.message;
        show("message");
      }, function () {});
  }

  function startApply() {
    state.apply = { requestId: newRequestId() };
    ["who", "relative", "consent"].forEach(function (step) { $("apply-step-" + step).hidden = true; });
    $("apply-step-service").hidden = false;
    $("apply-consent").checked = false;
    clearEntry("relative-entry");
    document.querySelectorAll("#apply-relationship button").forEach(function (b) { b.classList.remove("chosen"); });
    request("GET", "applications/").then(function (data) {
      var list = $("apply-services");
      list.textContent = "";
      data.services.forEach(function (service) {
        var button = el("button", { type: "button", className: "big service", text: service.name });
        button.addEventListener("click", function () {
          state.apply.service = service.code;
          $("apply-step-service").hidden = true;
          $("apply-step-who").hidden = false;
        });
        list.appendChild(button);
      });
    }, function () {});
  }

  function chooseWho(forSelf) {
    state.apply.forSelf = forSelf;
    $("apply-step-who").hidden = true;
    $("apply-step-relative").hidden = forSelf;
    $("apply-step-consent").hidden = false;
  }

  function sendApplication() {
    var data = {
      service: state.apply.service,
      for_self: !!state.apply.forSelf,
      consent: $("apply-consent").checked,
      request_id: state.apply.requestId,
    };
    if (!state.apply.forSelf) {
      data.relative_national_id = entries["relative-entry"] || "";
      data.relationship = state.apply.relationship || "";
    }
    request("POST", "applications/", data).then(function (answer) {
      $("message-text").textContent = answer.message;
      show("message");
      if (answer.number) {
        var print = el("button", { type: "button", className: "primary", text: texts.print_ticket });
        print.addEventListener("click", function () { openTicket(answer.number); });
        $("message-text").appendChild(el("br"));
        $("message-text").appendChild(print);
      }
    }, function () {});
  }

  // --- ending: Finish and the idle wipe -----------------------------------------------

  var wiping = false;
  function wipe(reason) {
    if (wiping) return;
    wiping = true;
    var end = state.session
      ? call("POST", "session/end/", { reason: reason === "idle" ? "idle" : "finished" })
      : Promise.resolve();
    state.session = "";
    entries = {};
    document.getElementById("app").textContent = "";
    end.then(function () {}, function () {}).then(function () {
      // replace(): the page the citizen used is not left in the history to go back to.
      window.location.replace("/kiosk/");
    });
  }

  var idleTimer = null;
  var countdownTimer = null;
  var left = 0;

  // The server ends a session it has not heard of for longer than the idle countdown: while
  // the citizen reads and touches without asking for anything, tell it they are still here.
  var lastKeepAlive = 0;
  function keepAlive() {
    var now = Date.now();
    if (!state.session || now - lastKeepAlive < 20000) return;
    lastKeepAlive = now;
    call("POST", "heartbeat/", {});
  }

  function idleReset() {
    if (wiping) return;
    keepAlive();
    clearTimeout(idleTimer);
    clearInterval(countdownTimer);
    $("idle-dialog").hidden = true;
    // The start screen with nobody identified has nothing to protect.
    if (state.screen === "start" && !state.session) return;
    if (state.screen === "pair") return;
    idleTimer = setTimeout(askStillThere, idleSeconds * 1000);
  }

  function askStillThere() {
    left = countdownSeconds;
    $("idle-dialog").hidden = false;
    $("idle-countdown").textContent = fill(texts.seconds_left, { seconds: left });
    countdownTimer = setInterval(function () {
      left -= 1;
      $("idle-countdown").textContent = fill(texts.seconds_left, { seconds: Math.max(left, 0) });
      if (left <= 0) {
        clearInterval(countdownTimer);
        wipe("idle");
      }
    }, 1000);
  }

  // --- wiring -------------------------------------------------------------------------

  function pair() {
    var code = entries["pair-code"] || "";
    call("POST", "/kiosk/pair/", { code: code }).then(function (answer) {
      if (!answer.ok) { showError(answer); return; }
      try { window.localStorage.setItem(TOKEN_KEY, answer.body.token); } catch (e) { /* none */ }
      clearEntry("pair-code");
      showError(null);
      show("start");
    });
  }

  function toggle(button, className) {
    var on = body.classList.toggle(className);
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  document.querySelectorAll(".keypad").forEach(buildKeypad);
  document.addEventListener("click", function (event) {
    var go = event.target.closest("[data-go]");
    if (go) { show(go.dataset.go); return; }
    var action = event.target.closest("[data-action]");
    if (!action) return;
    if (action.dataset.action === "finish") wipe("finished");
    if (action.dataset.action === "callback") callback();
  });
  $("pair-submit").addEventListener("click", pair);
  $("identify-submit").addEventListener("click", identify);
  $("code-submit").addEventListener("click", verify);
  $("question-submit").addEventListener("click", sendQuestion);
  $("ticket-print").addEventListener("click", function () { window.print(); });
  $("apply-self").addEventListener("click", function () { chooseWho(true); });
  $("apply-relative").addEventListener("click", function () { chooseWho(false); });
  $("apply-submit").addEventListener("click", sendApplication);
  document.querySelectorAll("#apply-relationship button").forEach(function (button) {
    button.addEventListener("click", function () {
      state.apply.relationship = button.dataset.value;
      document.querySelectorAll("#apply-relationship button").forEach(function (b) {
        b.classList.toggle("chosen", b === button);
      });
    });
  });
  $("toggle-contrast").addEventListener("click", function () { toggle(this, "high-contrast"); });
  $("toggle-large").addEventListener("click", function () { toggle(this, "large-text"); });
  $("idle-stay").addEventListener("click", idleReset);
  ["pointerdown", "keydown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, idleReset, { passive: true });
  });
  // A page brought back from the back-forward cache must not show what it showed before.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.replace("/kiosk/");
  });

  if (!deviceToken()) {
    show("pair");
  } else {
    call("GET", "").then(function (answer) {
      if (answer.status === 401) {
        try { window.localStorage.removeItem(TOKEN_KEY); } catch (e) { /* none */ }
        show("pair");
        showError({ body: { detail: texts.not_active } });
        return;
      }
      if (answer.ok) {
        idleSeconds = answer.body.idle_seconds || idleSeconds;
        countdownSeconds = answer.body.countdown_seconds || countdownSeconds;
      }
      show("start");
    });
  }
})();

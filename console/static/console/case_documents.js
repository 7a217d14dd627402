/* A case's papers: drop or choose several files, see each one (images as thumbnails, a PDF's
   first page drawn by the vendored pdf.js), pick its document type and issue date, upload
   them in one post. Uploaded files get the same thumbnails. Texts come from data-msg-*
   attributes the server translated; no inline script (CSP). */
(function () {
  "use strict";

  var ALLOWED = { "application/pdf": /\.pdf$/i, "image/jpeg": /\.jpe?g$/i, "image/png": /\.png$/i };
  var pdfjs = null;

  /* pdf.js, loaded once on first use from where the card says (a static file: CSP 'self'). */
  function loadPdfjs() {
    var card = document.getElementById("documents");
    if (!card || !card.dataset.pdfjs) { return Promise.reject(new Error("no pdf.js")); }
    if (!pdfjs) {
      pdfjs = import(card.dataset.pdfjs).then(function (lib) {
        lib.GlobalWorkerOptions.workerSrc = card.dataset.pdfjsWorker;
        return lib;
      });
    }
    return pdfjs;
  }

  /* The first page of a PDF, scaled to ``width`` pixels, on a canvas. */
  function drawFirstPage(data, holder, width) {
    return loadPdfjs().then(function (lib) {
      return lib.getDocument({ data: data, isEvalSupported: false }).promise;
    }).then(function (pdf) {
      return pdf.getPage(1);
    }).then(function (page) {
      var base = page.getViewport({ scale: 1 });
      var viewport = page.getViewport({ scale: width / base.width });
      var canvas = document.createElement("canvas");
      canvas.width = Math.ceil(viewport.width);
      canvas.height = Math.ceil(viewport.height);
      canvas.className = "doc-pdf-page";
      holder.textContent = "";
      holder.appendChild(canvas);
      return page.render({ canvasContext: canvas.getContext("2d"), viewport: viewport }).promise;
    }).then(function () {
      holder.dataset.rendered = "pdf";
    });
  }

  function kindOf(file) {
    var type = file.type || "";
    if (ALLOWED[type] && ALLOWED[type].test(file.name)) { return type; }
    // Some systems give no type: fall back on the name (the server checks the bytes anyway).
    for (var known in ALLOWED) {
      if (!type && ALLOWED[known].test(file.name)) { return known; }
    }
    return "";
  }

  function preview(form, file, holder) {
    var kind = kindOf(file);
    if (kind.indexOf("image/") === 0) {
      var img = document.createElement("img");
      img.alt = file.name;
      img.src = URL.createObjectURL(file);
      img.onload = function () { holder.dataset.rendered = "image"; };
      holder.appendChild(img);
    } else if (kind === "application/pdf") {
      file.arrayBuffer().then(function (buffer) {
        return drawFirstPage(new Uint8Array(buffer), holder, 120);
      }).catch(function () {
        holder.textContent = form.dataset.msgNoPreview || "—";
      });
    }
  }

  function humanSize(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.ceil(bytes / 1024) + " KB";
  }

  function setupUpload(form) {
    var queue = form.querySelector("#doc-queue");
    var template = form.querySelector("#doc-item-template");
    var picker = form.querySelector("#doc-picker");
    var drop = form.querySelector("#doc-drop");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var submit = form.querySelector("#doc-submit");
    var prefix = total.name.replace(/-TOTAL_FORMS$/, "");
    var maxBytes = Number(form.dataset.maxMb || 10) * 1048576;
    var maxFiles = Number(form.dataset.maxFiles || 20);
    var missing = (form.dataset.missing || "").split(/\s+/).filter(Boolean);

    // With the script, rows are made per file; the plain row is for browsers without it.
    queue.querySelectorAll("[data-fallback]").forEach(function (row) { row.remove(); });
    picker.removeAttribute("name");

    function items() { return queue.querySelectorAll(".doc-item"); }

    /* Form indexes must run 0..n-1 for the formset: renumber after every change. */
    function renumber() {
      var list = items();
      list.forEach(function (item, index) {
        item.querySelectorAll("[name]").forEach(function (field) {
          field.name = field.name.replace(new RegExp("^" + prefix + "-(\\d+|__prefix__)-"), prefix + "-" + index + "-");
          if (field.id) { field.id = "id_" + field.name; }
        });
        item.querySelectorAll("label[for]").forEach(function (label) {
          label.htmlFor = label.htmlFor.replace(/-(\d+|__prefix__)-/, "-" + index + "-");
        });
      });
      total.value = String(list.length);
      submit.disabled = list.length === 0;
      submit.textContent = list.length > 1
        ? (form.dataset.msgCount || "%(count)s").replace("%(count)s", String(list.length))
        : submit.dataset.label;
    }

    function nextType() {
      var taken = Array.prototype.map.call(queue.querySelectorAll("select"), function (s) { return s.value; });
      for (var i = 0; i < missing.length; i++) {
        if (taken.indexOf(missing[i]) === -1) { return missing[i]; }
      }
      return "";
    }

    function refuse(file, message) {
      var item = template.content.firstElementChild.cloneNode(true);
      item.classList.add("doc-item-refused");
      item.querySelector(".doc-name").textContent = file.name;
      item.querySelector(".doc-size").textContent = humanSize(file.size);
      item.querySelectorAll("label").forEach(function (label) { label.remove(); });
      var error = item.querySelector(".doc-error");
      error.textContent = message;
      error.hidden = false;
      item.querySelector(".doc-remove").addEventListener("click", function () { item.remove(); });
      form.querySelector("#doc-refused-local").appendChild(item);
    }

    function add(file) {
      var kind = kindOf(file);
      if (!kind) { refuse(file, form.dataset.msgWrongType); return; }
      if (file.size > maxBytes) { refuse(file, form.dataset.msgTooLarge); return; }
      if (items().length >= maxFiles) { refuse(file, form.dataset.msgTooMany); return; }
      var item = template.content.firstElementChild.cloneNode(true);
      item.querySelector(".doc-name").textContent = file.name;
      item.querySelector(".doc-size").textContent = humanSize(file.size);
      // The file travels in a hidden input of its own row (the formset's "file" field).
      var input = document.createElement("input");
      input.type = "file";
      input.name = prefix + "-__prefix__-file";
      input.hidden = true;
      var carrier = new DataTransfer();
      carrier.items.add(file);
      input.files = carrier.files;
      item.appendChild(input);
      var select = item.querySelector("select");
      select.required = true;
      select.value = nextType();
      item.querySelector(".doc-remove").addEventListener("click", function () {
        item.remove();
        renumber();
      });
      queue.appendChild(item);
      preview(form, file, item.querySelector(".doc-thumb"));
      renumber();
    }

    function addAll(files) {
      Array.prototype.forEach.call(files, add);
    }

    var refusedBox = document.createElement("ul");
    refusedBox.id = "doc-refused-local";
    refusedBox.className = "doc-queue";
    queue.parentNode.insertBefore(refusedBox, queue);
    submit.dataset.label = submit.textContent;

    picker.addEventListener("change", function () {
      addAll(picker.files);
      picker.value = "";
    });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.add("doc-drop-over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.remove("doc-drop-over");
      });
    });
    drop.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files) { addAll(event.dataTransfer.files); }
    });
    form.addEventListener("submit", function () { submit.disabled = true; });
    renumber();
  }

  /* Thumbnails of the files already on the case (only links the reader may open exist). */
  function thumbnails() {
    document.querySelectorAll("#documents a.doc-link[data-thumb]").forEach(function (link) {
      var holder = document.createElement("span");
      holder.className = "doc-thumb doc-thumb-small";
      link.insertBefore(holder, link.firstChild);
      var type = link.dataset.thumb;
      if (type.indexOf("image/") === 0) {
        var img = document.createElement("img");
        img.alt = "";
        img.src = link.href;
        img.onload = function () { holder.dataset.rendered = "image"; };
        holder.appendChild(img);
      } else if (type === "application/pdf") {
        fetch(link.href, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.arrayBuffer();
        }).then(function (buffer) {
          return drawFirstPage(new Uint8Array(buffer), holder, 48);
        }).catch(function () { holder.remove(); });
      }
    });
  }

  /* The preview pane: a PDF's pages drawn by pdf.js (no browser plug-in needed), an image as
     it is. Only files the reader may open have links, so only those can be shown. */
  function previewPane() {
    var pane = document.getElementById("doc-preview-pane");
    var frame = document.getElementById("doc-preview-frame");
    if (!pane) { return; }
    pane.hidden = false;
    if (frame) { frame.hidden = true; }
    document.querySelectorAll("#documents a.doc-link").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var type = link.dataset.thumb || "";
        pane.textContent = "";
        delete pane.dataset.rendered;
        pane.dataset.shown = link.closest("[data-document-id]").dataset.documentId;
        var title = document.createElement("p");
        var open = document.createElement("a");
        open.href = link.href;
        open.target = "_blank";
        open.rel = "noopener";
        open.textContent = link.textContent.trim();
        title.appendChild(open);
        pane.appendChild(title);
        if (type.indexOf("image/") === 0) {
          var img = document.createElement("img");
          img.alt = link.textContent.trim();
          img.src = link.href;
          img.onload = function () { pane.dataset.rendered = "image"; };
          pane.appendChild(img);
          return;
        }
        fetch(link.href, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.arrayBuffer();
        }).then(function (buffer) {
          return loadPdfjs().then(function (lib) {
            return lib.getDocument({ data: new Uint8Array(buffer), isEvalSupported: false }).promise;
          });
        }).then(function (pdf) {
          var width = Math.min(pane.clientWidth || 600, 900);
          var pages = [];
          // A scan is a few pages; the rest are a click on the file name away.
          for (var n = 1; n <= Math.min(pdf.numPages, 5); n++) {
            var holder = document.createElement("div");
            holder.className = "doc-preview-page";
            pane.appendChild(holder);
            pages.push(drawPage(pdf, n, holder, width));
          }
          return Promise.all(pages);
        }).then(function () {
          pane.dataset.rendered = "pdf";
        }).catch(function () {
          var note = document.createElement("p");
          note.className = "muted";
          note.textContent = pane.dataset.msgNoPreview || "—";
          pane.appendChild(note);
        });
      });
    });
  }

  function drawPage(pdf, number, holder, width) {
    return pdf.getPage(number).then(function (page) {
      var base = page.getViewport({ scale: 1 });
      var viewport = page.getViewport({ scale: width / base.width });
      var canvas = document.createElement("canvas");
      canvas.width = Math.ceil(viewport.width);
      canvas.height = Math.ceil(viewport.height);
      holder.appendChild(canvas);
      return page.render({ canvasContext: canvas.getContext("2d"), viewport: viewport }).promise;
    });
  }

  function start() {
    var form = document.getElementById("doc-upload");
    var card = document.getElementById("documents");
    if (!card) { return; }
    if (form && window.DataTransfer) { setupUpload(form); }
    thumbnails();
    previewPane();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

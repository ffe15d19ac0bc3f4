// refkit's counter page: check an invitation code, give the offer, record the visit, export.
// Runs from a local file with no network. The data are in the JSON block #counter-data, made by
// RefkitCounter; every function that must agree with refkit's Swift code says which.
(function () {
  "use strict";

  // ---- Codes: a mirror of RefkitCodes (Crockford.swift, GF32.swift, InviteCode+Check.swift,
  // InviteCode+Suggestions.swift) and RefkitReport's CodeMatcher. The browser tests run one
  // table of inputs through both and compare.
  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var VALUES = (function () {
    var t = [];
    for (var b = 0; b < 128; b++) t.push(-1);
    for (var i = 0; i < 32; i++) {
      t[ALPHABET.charCodeAt(i)] = i;
      t[ALPHABET.toLowerCase().charCodeAt(i)] = i;
    }
    t[79] = t[111] = 0; // O o
    t[73] = t[105] = t[76] = t[108] = 1; // I i L l
    return t;
  })();
  // Crockford.separators: hyphen-like marks phones and IMEs substitute, and _ and .
  var SEPARATORS = new Set(["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\u30FC", "_", "."]);
  var WHITE = /^\p{White_Space}$/u;
  var ASCII = /^[\x00-\x7F]*$/;
  var EXP = [], LOG = [];
  (function () {
    var x = 1;
    for (var i = 0; i < 31; i++) {
      EXP[i] = x; EXP[i + 31] = x; LOG[x] = i;
      x <<= 1;
      if (x & 32) x ^= 37; // x^5 + x^2 + 1
    }
  })();
  function mul(a, b) { return a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]]; }
  function inv(a) { return EXP[(31 - LOG[a]) % 31]; }
  function pow(i) { return EXP[i % 31]; }

  // Crockford.values(of:): one value per meaningful character, -1 where it is no symbol.
  function symbolValues(input) {
    var out = [], i, c;
    if (ASCII.test(input)) {
      for (i = 0; i < input.length; i++) {
        c = input.charCodeAt(i);
        if (c === 0x20 || (c >= 9 && c <= 13) || c === 0x2D || c === 0x5F || c === 0x2E) continue;
        out.push(VALUES[c]);
      }
      return out;
    }
    for (var ch of input.normalize("NFKC")) {
      if (WHITE.test(ch) || SEPARATORS.has(ch)) continue;
      c = ch.codePointAt(0);
      out.push(c < 128 ? VALUES[c] : -1);
    }
    return out;
  }
  function consistent(values) {
    var sum = 0;
    for (var i = 0; i < values.length; i++) sum ^= mul(pow(i), values[i]);
    return sum === 0;
  }
  function symbols(values) {
    var s = "";
    for (var i = 0; i < values.length; i++) s += ALPHABET[values[i]];
    return s;
  }
  // InviteCode.normalize: canonical symbols, ? for what is no symbol.
  function normalize(input) {
    return symbolValues(input).map(function (v) { return v < 0 ? "?" : ALPHABET[v]; }).join("");
  }
  // InviteCode.parse(_:length:): the canonical code, or null.
  function parse(input, length) {
    var values = symbolValues(input);
    if (values.length < 2) return null;
    var data = values.length - 1;
    if (length != null && data !== length) return null;
    if (data < 8 || data > 30) return null;
    if (values.indexOf(-1) >= 0) return null;
    return consistent(values) ? symbols(values) : null;
  }
  // InviteCode.suggestions(for:length:among:): issued codes one edit away, sorted.
  function suggestions(input, length, isIssued) {
    var values = symbolValues(input), found = new Set();
    if (parse(input, length) != null) return [];
    function lengthOK(n) { return length != null ? n === length : n >= 8 && n <= 30; }
    function add(vals) {
      var code = symbols(vals);
      if (isIssued(code)) found.add(code);
    }
    function consider(candidate) {
      if (!lengthOK(candidate.length - 1)) return;
      var unknown = [];
      for (var k = 0; k < candidate.length; k++) if (candidate[k] < 0) unknown.push(k);
      if (unknown.length === 0) {
        if (consistent(candidate)) add(candidate);
      } else if (unknown.length === 1) {
        var i = unknown[0], sum = 0;
        for (var j = 0; j < candidate.length; j++) if (j !== i) sum ^= mul(pow(j), candidate[j]);
        var vals = candidate.slice();
        vals[i] = mul(inv(pow(i)), sum);
        add(vals);
      }
    }
    var unknownCount = values.filter(function (v) { return v < 0; }).length, i, c;
    if (unknownCount === 1) {
      consider(values);
    } else if (unknownCount === 0) {
      for (i = 0; i < values.length; i++) { c = values.slice(); c[i] = -1; consider(c); }
      for (i = 0; i + 1 < values.length; i++) {
        if (values[i] === values[i + 1]) continue;
        c = values.slice(); c[i] = values[i + 1]; c[i + 1] = values[i]; consider(c);
      }
    }
    if (unknownCount <= 1) {
      for (i = 0; i < values.length; i++) { c = values.slice(); c.splice(i, 1); consider(c); }
      if (unknownCount === 0) {
        for (i = 0; i <= values.length; i++) { c = values.slice(); c.splice(i, 0, -1); consider(c); }
      }
    }
    return Array.from(found).sort();
  }
  function trimWhite(text) { return text.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, ""); }
  // CodeMatcher.match: exact, corrected (the only issued code one edit away), ambiguous, unknown.
  function match(typed, length, isIssued) {
    var text = trimWhite(typed);
    if (text === "") return { kind: "unknown" };
    var code = parse(text, null);
    if (code != null) return isIssued(code) ? { kind: "exact", code: code } : { kind: "unknown" };
    var list = suggestions(text, length, isIssued);
    if (list.length === 1) return { kind: "corrected", code: list[0] };
    if (list.length > 1) return { kind: "ambiguous", codes: list };
    return { kind: "unknown" };
  }

  // ---- CSV: a mirror of RefkitCSV's FormulaGuard and CSVWriter, so the export reads back in
  // refkit, Python and spreadsheets as refkit's own files do.
  var SIGNS = new Set(["=", "\uFF1D", "\uFE66", "\u207C", "\u208C", "+", "\uFF0B", "\uFE62", "\u207A", "\u208A", "\uFB29",
    "-", "\uFF0D", "\uFE63", "\u2212", "@", "\uFF20", "\uFE6B"]);
  var CONTROL = /^\p{Cc}$/u, FORMAT = /^\p{Cf}$/u;
  function needsGuard(value) {
    var scalars = Array.from(value);
    if (scalars.length === 0) return false;
    if (scalars[0] === "'" || CONTROL.test(scalars[0])) return true;
    var i = 0;
    while (i < scalars.length && (WHITE.test(scalars[i]) || CONTROL.test(scalars[i]) || FORMAT.test(scalars[i]))) i++;
    return i < scalars.length && SIGNS.has(scalars[i]);
  }
  function protect(value) { return needsGuard(value) ? "'" + value : value; }
  function needsQuotes(text) {
    if (/[\x00-\x1F\x7F,;"\x80-\x9F\u2028\u2029]/.test(text)) return true;
    if (text === "") return false;
    if (text[0] === " " || text[text.length - 1] === " ") return true;
    var scalars = Array.from(text), first = scalars[0], last = scalars[scalars.length - 1];
    if (first.codePointAt(0) >= 0x80 && (WHITE.test(first) || first === "\uFEFF")) return true;
    if (last.codePointAt(0) >= 0x80 && WHITE.test(last)) return true;
    return false;
  }
  function csvCell(value) {
    var text = protect(value);
    return needsQuotes(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function csvLine(cells) {
    if (cells.length === 1 && cells[0] === "") return '""\r\n';
    return cells.map(csvCell).join(",") + "\r\n";
  }

  // The code in a scanned QR code: the personal page's address (`…/r/CODE/`, maybe with a
  // query), a landing page's `?ref=CODE`, or the code itself.
  function codeFromScan(text) {
    var raw = String(text).trim();
    try {
      var url = new URL(raw);
      var m = /(?:^|\/)r\/([^\/]+)\/?$/.exec(url.pathname.replace(/\/+$/, "/"));
      if (m) return decodeURIComponent(m[1]);
      var ref = url.searchParams.get("ref");
      if (ref) return ref;
      return null;
    } catch (e) {
      return raw.length <= 64 ? raw : null;
    }
  }

  var api = {
    normalize: normalize, parse: parse, suggestions: suggestions, match: match,
    needsGuard: needsGuard, csvCell: csvCell, csvLine: csvLine, codeFromScan: codeFromScan
  };

  // ---- The tables (see CounterTables.swift): codes sorted in blocks by length, and per code
  // an index into the first names and one into the groups (programme × language × variant).
  var data = JSON.parse(document.getElementById("counter-data").textContent);
  var blocks = data.codes, base = [], total = 0;
  for (var b = 0; b < blocks.length; b++) { base.push(total); total += blocks[b].s.length / blocks[b].n; }
  function indexOf(code) {
    for (var b = 0; b < blocks.length; b++) {
      var block = blocks[b], n = block.n;
      if (code.length !== n) continue;
      var lo = 0, hi = block.s.length / n - 1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1, at = block.s.substr(mid * n, n);
        if (at === code) return base[b] + mid;
        if (at < code) lo = mid + 1; else hi = mid - 1;
      }
    }
    return -1;
  }
  function isIssued(code) { return indexOf(code) >= 0; }
  function lookup(code) {
    var i = indexOf(code);
    if (i < 0) return null;
    var group = data.groups[data.g[i]];
    return { code: code, active: group !== null, name: data.names[data.n[i]], group: group };
  }
  api.lookup = function (typed) {
    var m = match(typed, data.length, isIssued);
    if (m.kind === "exact") return { kind: "exact", entry: lookup(m.code) };
    return m;
  };
  window.RefkitCounter = Object.freeze(api);

  // ---- The page.
  var $ = function (id) { return document.getElementById(id); };
  var lang = data.default;
  function strings() { return data.langs[lang].s; }
  // A string with its {placeholders} filled by values shown as isolated text (<bdi>), so a
  // name or an offer in another direction cannot reorder the sentence.
  function fill(node, key, values) {
    var text = strings()[key], parts = text.split(/(\{[a-z_]+\})/);
    node.textContent = "";
    parts.forEach(function (part) {
      var m = /^\{([a-z_]+)\}$/.exec(part);
      if (m && values && Object.prototype.hasOwnProperty.call(values, m[1])) {
        var bdi = document.createElement("bdi");
        bdi.textContent = values[m[1]];
        node.appendChild(bdi);
      } else if (part) {
        node.appendChild(document.createTextNode(part));
      }
    });
    return node;
  }
  function formatted(code) {
    var out = "";
    for (var i = 0; i < code.length; i++) {
      if (i > 0 && data.group > 0 && i % data.group === 0) out += "-";
      out += code[i];
    }
    return out;
  }
  function translate() {
    document.documentElement.lang = lang;
    document.title = strings().title.split("{brand}").join(data.brand);
    document.querySelectorAll("[data-t]").forEach(function (node) {
      fill(node, node.getAttribute("data-t"), { brand: data.brand });
    });
    document.querySelectorAll("[data-t-label]").forEach(function (node) {
      node.setAttribute("aria-label", strings()[node.getAttribute("data-t-label")]);
    });
    renderSaved();
    if (current.typed != null) show(current.typed);
  }

  // ---- Records, kept in this browser's storage (never sent anywhere).
  var storageKey = "refkit-counter:" + data.site;
  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(storageKey + ":probe", "1");
    storage.removeItem(storageKey + ":probe");
  } catch (e) { storage = null; }
  function records() {
    if (!storage) return memory;
    try { return JSON.parse(storage.getItem(storageKey) || "[]"); } catch (e) { return []; }
  }
  var memory = [];
  function save(list) {
    if (!storage) { memory = list; return; }
    storage.setItem(storageKey, JSON.stringify(list));
  }
  function newID() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.from(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // Local date and time with its offset: the shop's day is the day of the visit.
  function localStamp(d) {
    var off = -d.getTimezoneOffset(), sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }
  function emailKey(email) { return trimWhite(email).toLowerCase(); }
  function renderSaved() {
    var list = records();
    fill($("saved-count"), "saved_count", { count: String(list.length) });
    var ul = $("saved-list");
    ul.textContent = "";
    list.slice(-5).reverse().forEach(function (r) {
      var li = document.createElement("li");
      var code = document.createElement("span");
      code.className = "code";
      code.textContent = formatted(r.code);
      li.appendChild(document.createTextNode(r.date.slice(0, 16).replace("T", " ") + " "));
      li.appendChild(code);
      if (r.staff) li.appendChild(document.createTextNode(" · " + r.staff));
      ul.appendChild(li);
    });
    $("export").disabled = list.length === 0;
    $("no-storage").hidden = storage !== null;
  }

  // ---- Checking a code.
  var current = { typed: null, entry: null };
  function show(typed) {
    current.typed = typed;
    current.entry = null;
    var out = $("result"), s = strings();
    out.textContent = "";
    out.className = "result";
    $("record").hidden = true;
    // A hand-held scanner types what the QR code holds, the personal page's address.
    var scanned = /^\s*https?:\/\//i.test(String(typed)) ? api.codeFromScan(typed) : null;
    var result = api.lookup(scanned || typed);
    function heading(key, values) {
      var h = document.createElement("h2");
      h.id = "result-heading";
      h.tabIndex = -1;
      return out.appendChild(fill(h, key, values));
    }
    function para(key, values) { return out.appendChild(fill(document.createElement("p"), key, values)); }
    if (result.kind === "exact" && result.entry.active) {
      var e = result.entry, g = e.group;
      out.classList.add("valid");
      heading("valid", { code: formatted(e.code) });
      if (e.name) para("valid_detail", { name: e.name }); else para("unnamed");
      var offer = document.createElement("p");
      offer.className = "offer";
      var label = document.createElement("span");
      label.className = "label";
      label.textContent = s.offer;
      var text = document.createElement("bdi");
      text.textContent = g.o;
      offer.appendChild(label);
      offer.appendChild(text);
      out.appendChild(offer);
      var dl = document.createElement("dl");
      [["code_label", formatted(e.code)], ["programme", g.h], ["card_language", g.ln], ["variant", g.v]].forEach(function (row) {
        var dt = document.createElement("dt"), dd = document.createElement("dd"), v = document.createElement("bdi");
        dt.textContent = s[row[0]];
        v.textContent = row[1];
        dd.appendChild(v);
        dl.appendChild(dt);
        dl.appendChild(dd);
      });
      out.appendChild(dl);
      current.entry = e;
      $("record").hidden = false;
    } else if (result.kind === "exact") {
      out.classList.add("inactive");
      heading("inactive", { code: formatted(result.entry.code) });
      para("inactive_detail");
    } else if (result.kind === "corrected") {
      out.classList.add("mistyped");
      heading("mistyped", { code: normalize(typed) });
      para("mistyped_detail", { code: formatted(result.code) });
      var use = document.createElement("button");
      use.type = "button";
      use.id = "use-suggestion";
      use.className = "secondary";
      fill(use, "use_code", { code: formatted(result.code) });
      use.addEventListener("click", function () {
        $("code").value = formatted(result.code);
        show(result.code);
        focusResult();
      });
      out.appendChild(use);
    } else {
      out.classList.add("unknown");
      heading("unknown", { code: normalize(typed) });
      para(result.kind === "ambiguous" ? "ambiguous_detail" : "unknown_detail");
    }
    out.setAttribute("data-kind", result.kind === "exact" ? (result.entry.active ? "valid" : "inactive") : result.kind);
  }
  function focusResult() {
    var h = $("result-heading");
    if (h) h.focus();
  }

  // ---- Recording a visit; a second one for the same code or friend asks first.
  function record() {
    var e = current.entry;
    if (!e) return;
    var email = trimWhite($("email").value), value = trimWhite($("value").value), staff = trimWhite($("staff").value);
    if (email && !$("email").checkValidity()) {
      $("email").setAttribute("aria-invalid", "true");
      fill($("email-error"), "invalid_email").hidden = false;
      $("email").focus();
      return;
    }
    $("email").removeAttribute("aria-invalid");
    $("email-error").hidden = true;
    var list = records(), key = email ? emailKey(email) : null;
    var earlier = null, why = null;
    for (var i = list.length - 1; i >= 0 && !earlier; i--) {
      if (key && list[i].email && emailKey(list[i].email) === key) { earlier = list[i]; why = "already_friend"; }
      else if (list[i].code === e.code) { earlier = list[i]; why = "already_code"; }
    }
    var entry = { id: newID(), date: localStamp(new Date()), code: e.code, email: email, value: value, staff: staff };
    if (!earlier) return commit(entry);
    var dialog = $("confirm");
    fill($("confirm-text"), why, { date: earlier.date.slice(0, 16).replace("T", " "), code: formatted(e.code) });
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue === "again") commit(entry); else $("record-button").focus();
    };
    dialog.showModal();
    $("confirm-cancel").focus();
  }
  function commit(entry) {
    var list = records();
    list.push(entry);
    try {
      save(list);
    } catch (e) {
      // Storage full or refused: keep the visit for this session and say it is not kept.
      storage = null;
      memory = list;
    }
    renderSaved();
    ["email", "value"].forEach(function (id) { $(id).value = ""; });
    var done = $("recorded");
    fill(done, "recorded", { code: formatted(entry.code) });
    done.hidden = false;
    done.focus();
  }

  // ---- Export: every redemption on this device, as refkit report --conversions reads it.
  function exportCSV() {
    var list = records();
    var text = "\uFEFF" + csvLine(data.columns);
    list.forEach(function (r) { text += csvLine([r.date, r.code, r.email || "", r.value || "", r.staff || "", r.id]); });
    var d = new Date();
    var name = "redemptions-" + d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + ".csv";
    var url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    fill($("exported"), "exported", { name: name, count: String(list.length) }).hidden = false;
  }

  // ---- Scanning the card's QR code, where the browser has BarcodeDetector.
  var scanning = null;
  function startScan() {
    var video = $("scan-video");
    $("scan-status").hidden = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (stream) {
      var detector = new BarcodeDetector({ formats: ["qr_code"] });
      scanning = { stream: stream };
      video.srcObject = stream;
      $("scan-panel").hidden = false;
      $("scan").hidden = true;
      $("scan-stop").focus();
      return video.play().then(function () {
        var tick = function () {
          if (!scanning) return;
          detector.detect(video).then(function (found) {
            for (var i = 0; i < found.length; i++) {
              var code = codeFromScan(found[i].rawValue);
              if (code) {
                stopScan();
                $("code").value = code;
                show(code);
                focusResult();
                return;
              }
            }
            if (found.length) fill($("scan-status"), "scan_not_code").hidden = false;
            setTimeout(tick, 200);
          }, function () { setTimeout(tick, 400); });
        };
        tick();
      });
    }).catch(function () {
      stopScan();
      fill($("scan-status"), "scan_failed").hidden = false;
    });
  }
  function stopScan() {
    if (scanning) scanning.stream.getTracks().forEach(function (t) { t.stop(); });
    scanning = null;
    $("scan-video").srcObject = null;
    $("scan-panel").hidden = true;
    $("scan").hidden = false;
  }
  function offerScan() {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
    var formats = BarcodeDetector.getSupportedFormats ? BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]);
    formats.then(function (list) { if (list.indexOf("qr_code") >= 0) $("scan").hidden = false; }, function () {});
  }

  // ---- Wiring.
  var select = $("language");
  Object.keys(data.langs).forEach(function (tag) {
    var option = document.createElement("option");
    option.value = tag;
    option.lang = tag;
    option.textContent = data.langs[tag].name;
    select.appendChild(option);
  });
  try {
    var saved = storage && storage.getItem(storageKey + ":lang");
    // Own keys only: the storage of file:// pages is shared, and "constructor" would be found.
    if (saved && Object.prototype.hasOwnProperty.call(data.langs, saved)) lang = saved;
  } catch (e) {}
  select.value = lang;
  select.addEventListener("change", function () {
    lang = select.value;
    try { if (storage) storage.setItem(storageKey + ":lang", lang); } catch (e) {}
    translate();
  });
  $("language-field").hidden = Object.keys(data.langs).length < 2;
  $("check-form").addEventListener("submit", function (event) {
    event.preventDefault();
    $("recorded").hidden = true;
    $("exported").hidden = true;
    show($("code").value);
    focusResult();
  });
  $("record-form").addEventListener("submit", function (event) {
    event.preventDefault();
    record();
  });
  $("export").addEventListener("click", exportCSV);
  $("scan").addEventListener("click", startScan);
  $("scan-stop").addEventListener("click", function () { stopScan(); $("scan").focus(); });
  offerScan();
  translate();
  document.body.setAttribute("data-ready", "true");
  performance.mark("counter-ready");
})();

/// The preview's own files, served by `refkit serve` under a path no site uses and never
/// written into the built site: the live-reload script, the error banner's stylesheet, and
/// the event stream they listen to.
///
/// The script and the stylesheet are loaded by `src` and `href` from the same origin, so the
/// site's Content-Security-Policy (`script-src 'self'`, `style-src 'self'`, `connect-src
/// 'self'`), which the preview sends as the deployed site does, lets them in; nothing inline.
enum LiveReloadAssets {
    /// Reserved: a site path starting here is answered by the preview, not the site folder.
    static let prefix = "/_refkit/"
    static let scriptPath = "/_refkit/live.js"
    static let stylePath = "/_refkit/live.css"
    static let eventsPath = "/_refkit/events"

    /// What goes into every HTML page the preview serves: the stylesheet, and the script with
    /// the build the page came from, so that the script knows whether the page is current.
    static func tags(generation: Int) -> String {
        "<link rel=\"stylesheet\" href=\"\(stylePath)\"><script src=\"\(scriptPath)?g=\(generation)\" defer></script>"
    }

    /// Listens to `/_refkit/events`. A newer build reloads the page, or swaps its stylesheets
    /// when only stylesheets changed since the page's build (the new page's `<link>`s are read
    /// from a fetch of the same URL: their names carry a content hash). Build errors show in
    /// the banner and go with the next good build. Text goes in with `textContent`, never as
    /// HTML.
    static let script = #"""
    // refkit serve: live reload for the preview only. Never part of the built site.
    (function () {
      "use strict";
      var me = document.currentScript;
      var page = Number(new URL(me.src).searchParams.get("g") || "0");
      var BANNER = "refkit-build-errors";

      function banner(errors) {
        var old = document.getElementById(BANNER);
        if (!errors.length) { if (old) old.remove(); return; }
        var box = document.createElement("div");
        box.id = BANNER;
        box.setAttribute("role", "alert");
        var title = document.createElement("strong");
        title.textContent = "refkit: the last change did not build; this is the previous build.";
        var list = document.createElement("ul");
        errors.forEach(function (e) {
          var item = document.createElement("li");
          item.textContent = e;
          list.appendChild(item);
        });
        box.appendChild(title);
        box.appendChild(list);
        if (old) old.replaceWith(box); else document.body.insertBefore(box, document.body.firstChild);
      }

      function sheets(doc) {
        return Array.prototype.filter.call(doc.querySelectorAll('link[rel="stylesheet"]'), function (l) {
          return l.getAttribute("href").indexOf("/_refkit/") !== 0;
        });
      }

      function swapStylesheets(generation) {
        fetch(location.href, { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (html) {
          var fresh = sheets(new DOMParser().parseFromString(html, "text/html"));
          var current = sheets(document);
          if (fresh.length !== current.length) { location.reload(); return; }
          current.forEach(function (link, i) {
            var href = fresh[i].getAttribute("href");
            if (link.getAttribute("href") !== href) link.setAttribute("href", href);
          });
          page = generation;
          document.documentElement.setAttribute("data-refkit-css", String(generation));
        }).catch(function () { location.reload(); });
      }

      function apply(data) {
        var state = JSON.parse(data);
        // For tests and the curious: the page is listening.
        document.documentElement.setAttribute("data-refkit-live", "open");
        if (state.generation !== page) {
          if (state.full <= page) swapStylesheets(state.generation); else { location.reload(); return; }
        }
        banner(state.errors);
      }

      // A browser allows 6 connections per host over HTTP/1.1 and each stream holds one, so
      // the 7th preview tab would wait for a stream to end. One tab (the holder of a Web Lock)
      // keeps the stream and relays its events to the others over a BroadcastChannel; when
      // it closes, the lock passes to another tab, which opens the stream.
      var last = null;
      function listen(relay) {
        var source = new EventSource("/_refkit/events");
        source.onmessage = function (event) {
          last = event.data;
          if (relay) relay.postMessage({ state: event.data });
          apply(event.data);
        };
        return source;
      }

      var shared = typeof BroadcastChannel === "function" && navigator.locks && navigator.locks.request;
      if (shared) {
        var channel = new BroadcastChannel("refkit-live-reload");
        channel.onmessage = function (event) {
          var m = event.data || {};
          if (m.hello && last !== null && leading) channel.postMessage({ state: last });
          else if (typeof m.state === "string" && !leading) apply(m.state);
        };
        var leading = false;
        navigator.locks.request("refkit-live-reload", function () {
          leading = true;
          listen(channel);
          return new Promise(function () {}); // held until the tab closes
        });
        // A tab that follows asks for the state at once rather than at the next build.
        channel.postMessage({ hello: true });
      } else {
        // Without locks (an insecure origin such as a LAN address), each tab holds its own
        // stream, but only while it is visible.
        var source = null;
        function sync() {
          if (document.visibilityState === "hidden") {
            if (source) { source.close(); source = null; }
          } else if (!source) {
            source = listen(null);
          }
        }
        document.addEventListener("visibilitychange", sync);
        sync();
      }
    })();

    """#

    /// The banner's looks: in a stylesheet, since the site's CSP refuses inline styles.
    static let style = """
    /* refkit serve: the build-error banner, for the preview only. */
    #refkit-build-errors {
      position: sticky; top: 0; z-index: 2147483647; margin: 0; padding: 1rem;
      background: #fff0f0; color: #5c0000; border: 3px solid #b00020;
      font: 14px/1.4 ui-monospace, monospace; white-space: pre-wrap; text-align: start;
    }
    #refkit-build-errors ul { margin: 0.5rem 0 0; padding-inline-start: 1.5rem; }

    """
}

import Crypto
import Foundation
import RefkitModel

/// The counter page's HTML: one self-contained file. The style and the script are inline (the
/// page is opened from a disk or a USB stick, where there is nothing to link to), and the page's
/// own Content-Security-Policy allows exactly those two by their SHA-256 and nothing else: no
/// request can leave it, and no injected markup could run.
struct CounterPage {
    let site: Site
    /// The language the page opens in, and its strings for the markup (the script relabels
    /// everything when the language is switched).
    let language: LanguageTag
    let strings: [String: String]
    /// `CounterData.json`, already escaped for a `<script>` element.
    let data: String

    static let script = String(decoding: PackageResources.counter_js, as: UTF8.self)
    static let baseStyle = String(decoding: PackageResources.counter_css, as: UTF8.self)

    /// The brand colour (a `#RRGGBB` the loader checked) behind the header and buttons.
    var style: String { Self.baseStyle + ":root { --brand: \(site.theme.color); }\n" }

    static func hash(_ text: String) -> String {
        "'sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString() + "'"
    }

    /// `media-src` lets the camera's stream play in the scanner's <video>; nothing is fetched.
    var policy: String {
        "default-src 'none'; script-src \(Self.hash(Self.script)); style-src \(Self.hash(style)); "
            + "media-src mediastream: blob:; img-src data:; form-action 'none'; base-uri 'none'"
    }

    /// A string of the opening language, `{brand}` filled, escaped for HTML text.
    func t(_ key: String) -> String {
        Markup.escape((strings[key] ?? "").replacingOccurrences(of: "{brand}", with: site.name))
    }

    var html: String {
        """
        <!DOCTYPE html>
        <html lang="\(Markup.escape(language.rawValue))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="\(Markup.escape(policy))">
        <meta name="robots" content="noindex, nofollow">
        <meta name="referrer" content="no-referrer">
        <title>\(t("title"))</title>
        <style>\(style)</style>
        </head>
        <body>
        <header>
        <h1 data-t="heading">\(t("heading"))</h1>
        <label id="language-field"><span data-t="language">\(t("language"))</span> <select id="language"></select></label>
        </header>
        <main>
        <p class="intro" data-t="intro">\(t("intro"))</p>
        <section aria-labelledby="code-label">
        <form id="check-form" autocomplete="off">
        <label class="field" for="code"><span id="code-label" data-t="code_label">\(t("code_label"))</span>
        <span class="hint" id="code-hint" data-t="code_hint">\(t("code_hint"))</span></label>
        <input id="code" name="code" autocapitalize="characters" autocorrect="off" spellcheck="false" enterkeyhint="go" aria-describedby="code-hint">
        <div class="row"><button type="submit" id="check" data-t="check">\(t("check"))</button>
        <button type="button" id="scan" class="secondary" hidden data-t="scan">\(t("scan"))</button></div>
        </form>
        <div id="scan-panel" hidden>
        <p data-t="scan_help">\(t("scan_help"))</p>
        <video id="scan-video" muted playsinline></video>
        <div class="row"><button type="button" id="scan-stop" class="secondary" data-t="scan_stop">\(t("scan_stop"))</button></div>
        </div>
        <p id="scan-status" class="error" role="status" hidden></p>
        </section>
        <div id="result" class="result"></div>
        <section id="record" aria-labelledby="record-title" hidden>
        <h2 id="record-title" data-t="record_title">\(t("record_title"))</h2>
        <form id="record-form" autocomplete="off" novalidate>
        <div class="fields">
        <div class="wide"><label class="field" for="email" data-t="email">\(t("email"))</label>
        <input id="email" type="email" inputmode="email" autocapitalize="off" spellcheck="false" aria-describedby="email-error">
        <p id="email-error" class="error" hidden></p></div>
        <div><label class="field" for="value" data-t="value">\(t("value"))</label><input id="value" inputmode="decimal"></div>
        <div><label class="field" for="staff" data-t="staff">\(t("staff"))</label><input id="staff" maxlength="12" autocapitalize="characters"></div>
        </div>
        <div class="row"><button type="submit" id="record-button" data-t="record">\(t("record"))</button></div>
        </form>
        </section>
        <p id="recorded" class="notice" role="status" tabindex="-1" hidden></p>
        <section aria-labelledby="saved-title">
        <h2 id="saved-title" data-t="saved_title">\(t("saved_title"))</h2>
        <p id="saved-count"></p>
        <ul id="saved-list"></ul>
        <p id="no-storage" class="error" data-t="no_storage" hidden>\(t("no_storage"))</p>
        <p class="hint" data-t="export_help">\(t("export_help"))</p>
        <div class="row"><button type="button" id="export" class="secondary" data-t="export">\(t("export"))</button></div>
        <p id="exported" class="notice" role="status" hidden></p>
        </section>
        </main>
        <dialog id="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-text">
        <form method="dialog">
        <h2 id="confirm-title" data-t="confirm_title">\(t("confirm_title"))</h2>
        <p id="confirm-text"></p>
        <div class="row"><button value="cancel" id="confirm-cancel" class="secondary" data-t="cancel">\(t("cancel"))</button>
        <button value="again" id="confirm-again" data-t="record_again">\(t("record_again"))</button></div>
        </form>
        </dialog>
        <script type="application/json" id="counter-data">\(data)</script>
        <script>\(Self.script)</script>
        </body>
        </html>

        """
    }
}

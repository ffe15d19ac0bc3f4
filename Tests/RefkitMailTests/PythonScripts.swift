/// Python 3 scripts that read our output with the standard library's own parsers, so that the
/// tests check what a mail program sees, not what we meant to write.
enum PythonScript {
    /// Parses each `.eml` given as an argument with `email.policy.default` and prints what it
    /// found as JSON, plus raw facts about the bytes: line ends, line lengths, encoded words.
    /// With `HTML_OUT` set, writes each HTML part there as NAME.html for the HTML checker.
    static let parseDrafts = #"""
import base64, json, os, quopri, re, sys, unicodedata
from email import policy
from email.parser import BytesParser

html_out = os.environ.get("HTML_OUT")
results = []
for path in sys.argv[1:]:
    raw = open(path, "rb").read()
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    head, _, body = raw.partition(b"\r\n\r\n")
    words = []
    for w in re.findall(rb"=\?[^?]+\?[QqBb]\?[^?]*\?=", head):
        charset, enc, payload = w[2:-2].split(b"?")
        data = base64.b64decode(payload) if enc in b"Bb" else quopri.decodestring(payload, header=True)
        try:
            text = data.decode("utf-8")
            ok = True
        except UnicodeDecodeError:
            text, ok = "", False
        first = text[:1]
        continues_cluster = bool(first) and (unicodedata.combining(first) != 0 or first in "\u200d\u200c\ufe0e\ufe0f" or unicodedata.category(first) in ("Mn", "Me", "Mc") or 0x1F3FB <= ord(first) <= 0x1F3FF)
        words.append({"length": len(w), "utf8": ok, "startsInsideCluster": continues_cluster, "text": text})
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        parts.append({"type": part.get_content_type(), "charset": part.get_content_charset() or "",
                      "encoding": part["Content-Transfer-Encoding"] or "", "content": content})
        if html_out and part.get_content_type() == "text/html":
            name = os.path.basename(path).rsplit(".", 1)[0]
            with open(os.path.join(html_out, name + ".html"), "w", encoding="utf-8") as f:
                f.write(content)
    to = msg["To"]
    defects = [type(d).__name__ for d in msg.defects]
    for key in msg.keys():
        defects += [key + ":" + type(d).__name__ for d in getattr(msg[key], "defects", [])]
    without_crlf = raw.replace(b"\r\n", b"")
    results.append({
        "file": os.path.basename(path),
        "headers": list(msg.keys()),
        "subject": str(msg["Subject"] or ""),
        "toNames": [a.display_name for a in to.addresses] if to else [],
        "toAddresses": [a.addr_spec for a in to.addresses] if to else [],
        "from": str(msg["From"] or ""),
        "replyTo": str(msg["Reply-To"] or ""),
        "mimeVersion": str(msg["MIME-Version"] or ""),
        "unsent": str(msg["X-Unsent"] or ""),
        "contentType": msg.get_content_type(),
        "parts": parts,
        "defects": defects,
        "onlyCRLF": b"\n" not in without_crlf and b"\r" not in without_crlf,
        "longestHeaderLine": max(len(l) for l in head.split(b"\r\n")),
        "longestBodyLine": max(len(l) for l in body.split(b"\r\n")),
        "encodedWords": words,
    })
print(json.dumps(results))
"""#

    /// Reads an mbox with `mailbox.mbox` and prints each message's subject, To and parts.
    static let readMbox = #"""
import json, mailbox, sys
from email import policy
box = mailbox.mbox(sys.argv[1], factory=None, create=False)
out = []
for key in box.keys():
    raw = box.get_bytes(key)
    from email.parser import BytesParser
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    plain = msg.get_body(preferencelist=("plain",))
    out.append({"subject": str(msg["Subject"]), "to": str(msg["To"]), "text": plain.get_content() if plain else "",
                "fromLine": box.get_message(key).get_from()})
print(json.dumps(out))
"""#

    /// Reads the merge CSV with the `csv` module and prints its rows, plus raw facts.
    static let readCSV = #"""
import csv, io, json, sys
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8-sig")
rows = list(csv.reader(io.StringIO(text, newline="")))
without_crlf = raw.replace(b"\r\n", b"")
print(json.dumps({"bom": raw.startswith(b"\xef\xbb\xbf"), "onlyCRLF": b"\n" not in without_crlf and b"\r" not in without_crlf, "rows": rows}))
"""#
}

struct ParsedDraft: Decodable {
    struct Part: Decodable {
        var type: String
        var charset: String
        var encoding: String
        var content: String
    }
    struct Word: Decodable {
        var length: Int
        var utf8: Bool
        var startsInsideCluster: Bool
        var text: String
    }
    var file: String
    var headers: [String]
    var subject: String
    var toNames: [String]
    var toAddresses: [String]
    var from: String
    var replyTo: String
    var mimeVersion: String
    var unsent: String
    var contentType: String
    var parts: [Part]
    var defects: [String]
    var onlyCRLF: Bool
    var longestHeaderLine: Int
    var longestBodyLine: Int
    var encodedWords: [Word]
}

struct MboxMessage: Decodable {
    var subject: String
    var to: String
    var text: String
    var fromLine: String
}

struct ParsedCSV: Decodable {
    var bom: Bool
    var onlyCRLF: Bool
    var rows: [[String]]
}

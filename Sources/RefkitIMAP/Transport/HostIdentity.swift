import NIOSSL

/// The check that a server's certificate names the host refkit was asked to reach, on top of
/// NIOSSL's own.
///
/// NIOSSL 2.37's `.fullVerification` accepts a certificate when *any* of its IP address names
/// matches the connected address, even when a host name was asked for (its
/// `validIdentityForService`). Anyone who can redirect `imap.example.com` and holds a trusted
/// certificate for their own IP address would then receive the password. RFC 6125 6.4 says a
/// host name is checked against DNS names only, so for a host name refkit also requires, once
/// the handshake completes and before any byte reaches the command layer, that the leaf
/// certificate's DNS names match it. A certificate with no alternative names at all is left to
/// NIOSSL, which then compares the common name with the host name only (never an address).
/// For an IP literal (`imaps://192.0.2.1`) NIOSSL's address check is the right one.
enum HostIdentity {
    /// How every refusal starts, so that the transport reports it as a failure to connect.
    static let certificatePrefix = "the server's certificate"

    /// Nil when the leaf certificate may stand for `host`, else why not.
    static func refusal(host: String, leaf: NIOSSLCertificate) -> String? {
        var dnsNames: [String] = []
        var any = false
        for name in leaf._subjectAlternativeNames() {
            any = true
            if name.nameType == .dnsName { dnsNames.append(String(decoding: Array(name.contents), as: UTF8.self)) }
        }
        guard any else { return nil }
        if dnsNames.contains(where: { matches(host: host, dnsName: $0) }) { return nil }
        let shown = dnsNames.isEmpty ? "no host name, only addresses" : dnsNames.prefix(5).map { IMAPText.shown($0) }.joined(separator: ", ")
        return "\(certificatePrefix) does not name \(host) (it names \(shown)), so it may belong to someone else; refkit sent nothing"
    }

    /// RFC 6125 6.4.1 and 6.4.3: equal ignoring ASCII case and a final dot; a `*` may stand for
    /// the whole leftmost label only, above at least two more
    /// labels (`*.example.com`, never `*.com`).
    static func matches(host: String, dnsName: String) -> Bool {
        func labels(_ text: String) -> [Substring] {
            var lower = text.lowercased()
            if lower.hasSuffix(".") { lower.removeLast() }
            return lower.split(separator: ".", omittingEmptySubsequences: false)
        }
        let ours = labels(host), theirs = labels(dnsName)
        guard !ours.isEmpty, ours.count == theirs.count, !ours.contains(where: \.isEmpty), !theirs.contains(where: \.isEmpty) else { return false }
        if theirs.first == "*" {
            return theirs.count >= 3 && Array(ours.dropFirst()) == Array(theirs.dropFirst())
        }
        return ours == theirs
    }
}

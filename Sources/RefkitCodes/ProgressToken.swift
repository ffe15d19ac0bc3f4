import Crypto
import Foundation
import RefkitModel

/// The token in a progress page's address, `/p/TOKEN/`.
///
/// A progress page shows how a referrer stands (friends counted, rewards earned), which is for
/// them alone, so its address must not follow from their code: the code is printed on postcards
/// and sits in every shared link. The token is an HMAC-SHA256 of the code under the kit's
/// current secret, domain-separated from the codes' own derivation and the seal's tags by its
/// prefix, cut to 20 Crockford symbols (100 bits: not guessable, and short enough for a link in
/// an email). It is the same on every build while the secret is; `refkit codes rotate-secret`
/// changes every token, which is what a rotation after a leak should do.
public enum ProgressToken {
    /// Symbols in a token: 20 × 5 = 100 bits.
    public static let length = 20
    static let domain = Data("refkit progress v1\u{0}".utf8)

    public static func token(for code: InviteCode, secret: Secret) -> String {
        var message = domain
        message.append(contentsOf: code.rawValue.utf8)
        let mac = Array(HMAC<SHA256>.authenticationCode(for: message, using: secret.key))
        // Five bits at a time from the front of the MAC.
        var out = [UInt8]()
        out.reserveCapacity(length)
        var buffer = 0, bits = 0, index = 0
        while out.count < length {
            if bits < 5 {
                buffer = (buffer << 8) | Int(mac[index])
                index += 1
                bits += 8
            }
            bits -= 5
            out.append(Crockford.symbols[(buffer >> bits) & 31])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

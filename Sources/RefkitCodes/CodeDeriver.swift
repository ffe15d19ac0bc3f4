import Crypto
import Foundation
import RefkitModel

/// Computes a referrer's code from the secret, so that the same person gets the same code on
/// every machine that has the secret, even before the ledger records it.
///
/// The HMAC-SHA256 message is a version tag, the programme slug, the normalised email and an
/// attempt counter, each string prefixed with its length in bytes as a 4-byte big-endian
/// number: ("ab", "c") and ("a", "bc") give different messages. The counter moves past a
/// collision with another owner's code (see `CodeIssuer`). The first 5·n bits of the MAC
/// become the n data symbols; 8 symbols are 40 bits.
struct CodeDeriver {
    static let version = "refkit-invite-code-v1"
    /// Keyed once: each code copies this state (HMAC is a value type) instead of hashing the
    /// key again.
    let keyed: HMAC<SHA256>
    let length: Int

    init(secret: Secret, length: Int) {
        keyed = HMAC<SHA256>(key: secret.key)
        self.length = length
    }

    func code(program: String, email: String, attempt: UInt32 = 0) -> InviteCode {
        var message = Data()
        for part in [CodeDeriver.version, program, Referrer.normalize(email: email)] {
            let bytes = Data(part.utf8)
            message.append(contentsOf: UInt32(bytes.count).bigEndianBytes)
            message.append(bytes)
        }
        message.append(contentsOf: attempt.bigEndianBytes)
        var hmac = keyed
        hmac.update(data: message)
        let mac = Array(hmac.finalize())

        // Read 5-bit groups from the MAC, most significant bit first. 256 bits cover 51
        // symbols, more than the 30 a code may have.
        var values: [UInt8] = []
        values.reserveCapacity(length)
        var buffer: UInt32 = 0
        var bits = 0
        var index = 0
        while values.count < length {
            if bits < 5 {
                buffer = (buffer << 8) | UInt32(mac[index])
                index += 1
                bits += 8
            }
            values.append(UInt8((buffer >> UInt32(bits - 5)) & 0b1_1111))
            bits -= 5
        }
        return InviteCode(dataValues: values)
    }
}

extension UInt32 {
    var bigEndianBytes: [UInt8] { [UInt8(self >> 24), UInt8((self >> 16) & 0xff), UInt8((self >> 8) & 0xff), UInt8(self & 0xff)] }
}

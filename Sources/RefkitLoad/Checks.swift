import Foundation

/// Address checks shared by the loaders. Deliberately simple: they refuse what would break a
/// page, a header or a link, not every address RFC 5322 allows. Web addresses are `WebAddress`.
enum EmailCheck {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !text.unicodeScalars.contains { $0.value <= 0x20 || "\"<>(),;:\\[]".unicodeScalars.contains($0) || $0.value == 0x7F }
    }
}

extension EmailCheck {
    /// A plain `local@domain` for the addresses in `site.yaml` (`contact_email`, `form.email`,
    /// `mail.from`), which go into `mailto:` links and headers: a dot-atom local part and a
    /// domain of letter-digit-hyphen labels, nothing else.
    ///
    /// RFC 5322 lets a local part hold `?`, `&`, `=`, `%`, `/` and `#`, but in a `mailto:` link
    /// `me@example.com?bcc=them%40elsewhere.example` (or `me?bcc=...`) adds a copy of every
    /// message to a third party. No real contact address needs those, so they are refused.
    static func isPlainAddress(_ text: String) -> Bool {
        let parts = text.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0], domain = parts[1]
        func isWordScalar(_ s: Unicode.Scalar) -> Bool {
            if s.isASCII { return (0x30...0x39).contains(s.value) || (0x41...0x5A).contains(s.value) || (0x61...0x7A).contains(s.value) }
            // Internationalised addresses: letters, marks and digits of any script.
            switch s.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .decimalNumber: return true
            default: return false
            }
        }
        let localAtoms = local.split(separator: ".", omittingEmptySubsequences: false)
        guard local.count <= 64, localAtoms.allSatisfy({ atom in
            !atom.isEmpty && atom.allSatisfy { isWordScalar($0) || "!$'*+-^_`{|}~".unicodeScalars.contains($0) }
        }) else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && domain.count <= 253 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { isWordScalar($0) || $0 == "-" }
        }
    }
}

import RefkitModel

/// What the counter page knows, as compact tables rather than one object per code: at 100,000
/// referrers the page parses a few strings and integer arrays, not 100,000 objects.
///
/// - `codes`: every issued code, sorted, in blocks of one length (a project whose
///   `codes.length` changed has two), each block one string of fixed-width codes, searched
///   by bisection.
/// - `nameIndex`: per code (in block order), an index into `names`, the distinct first names;
///   `names[0]` is "" (no name to show, and every inactive code).
/// - `groupIndex`: per code, an index into `groups`, the distinct (programme, language,
///   variant) with the friend's offer; `groups[0]` stands for an inactive code.
///
/// Nothing else about a referrer is here: no email, no surname, no secret, no coupon.
struct CounterTables {
    struct Block {
        var length: Int
        var codes: String
    }

    /// One programme edition and variant, as the counter shows it.
    struct Group: Hashable {
        var program: String
        var headline: String
        var language: LanguageTag
        var languageName: String
        var variant: String
        var offer: String
    }

    var blocks: [Block] = []
    var names: [String] = [""]
    var nameIndex: [Int] = []
    var groups: [Group?] = [nil]
    var groupIndex: [Int] = []

    /// - Parameters:
    ///   - invitations: the active codes and their referrers.
    ///   - inactive: the ledger's inactive codes.
    ///   - languageName: the name a language calls itself (`language_name` of its strings).
    init(project: Project, invitations: [Invitation], inactive: [InviteCode], languageName: (LanguageTag) -> String) {
        struct Row {
            var code: String
            var name: Int
            var group: Int
        }
        var nameNumbers: [String: Int] = ["": 0]
        var groupNumbers: [Group: Int] = [:]
        var rows: [Row] = []
        rows.reserveCapacity(invitations.count + inactive.count)
        let programs = Dictionary(project.programs.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        for invitation in invitations {
            let referrer = invitation.referrer
            guard let program = programs[referrer.program] else { continue }
            let variant = program.variant(for: invitation.code)
            let edition = (program.edition(for: referrer.language) ?? program.defaultEdition).applying(variant: variant)
            let group = Group(program: program.slug, headline: edition.headline, language: edition.language,
                              languageName: languageName(edition.language), variant: variant, offer: edition.incentive.friend)
            let g: Int
            if let known = groupNumbers[group] {
                g = known
            } else {
                g = groups.count
                groups.append(group)
                groupNumbers[group] = g
            }
            let n: Int
            if let known = nameNumbers[referrer.firstName] {
                n = known
            } else {
                n = names.count
                names.append(referrer.firstName)
                nameNumbers[referrer.firstName] = n
            }
            rows.append(Row(code: invitation.code.rawValue, name: n, group: g))
        }
        for code in inactive { rows.append(Row(code: code.rawValue, name: 0, group: 0)) }
        // Codes are ASCII: byte order is JavaScript's string order, which the page bisects by.
        rows.sort { $0.code.utf8.count != $1.code.utf8.count ? $0.code.utf8.count < $1.code.utf8.count : $0.code < $1.code }
        var previous: String?
        for row in rows where row.code != previous {
            previous = row.code
            if blocks.last?.length != row.code.utf8.count { blocks.append(Block(length: row.code.utf8.count, codes: "")) }
            blocks[blocks.count - 1].codes += row.code
            nameIndex.append(row.name)
            groupIndex.append(row.group)
        }
    }
}

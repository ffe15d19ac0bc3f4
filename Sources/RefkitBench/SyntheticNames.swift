/// Realistic referrer names in the sample's five languages, with an ASCII form for the email
/// address. Names are combined from short lists, so 100,000 referrers need no data file; the
/// index in the address keeps every email unique.
struct SyntheticNames {
    struct Person {
        var language: String
        var name: String
        var firstName: String
        var email: String
        var favourite: String
    }

    /// Given names, family names (with their ASCII spelling for the address) and favourites.
    private struct Language: Sendable {
        var code: String
        var domain: String
        var given: [(String, String)]
        var family: [(String, String)]
        var favourites: [String]
        /// How the full name is written from given and family name.
        var compose: @Sendable (_ given: String, _ family: String, _ index: Int) -> String
    }

    /// Out of every 20 referrers: 7 French, 4 English, 3 Japanese, 3 Chinese, 3 Malay.
    private static let mix = ["fr", "fr", "en", "ja", "zh", "ms", "fr", "en", "fr", "ja",
                              "zh", "ms", "fr", "en", "fr", "ja", "zh", "ms", "fr", "en"]

    private static let languages: [String: Language] = [
        "fr": Language(
            code: "fr", domain: "example.fr",
            given: [("Léa", "lea"), ("Camille", "camille"), ("Manon", "manon"), ("Chloé", "chloe"), ("Inès", "ines"),
                    ("Jade", "jade"), ("Louise", "louise"), ("Zoé", "zoe"), ("Hugo", "hugo"), ("Lucas", "lucas"),
                    ("Gabriel", "gabriel"), ("Arthur", "arthur"), ("Raphaël", "raphael"), ("Maël", "mael"),
                    ("Anaïs", "anais"), ("Éloïse", "eloise"), ("François", "francois"), ("Jean-Baptiste", "jean-baptiste"),
                    ("Marie-Claire", "marie-claire"), ("Océane", "oceane"), ("Théo", "theo"), ("Hélène", "helene")],
            family: [("Martin", "martin"), ("Bernard", "bernard"), ("Dubois", "dubois"), ("Lefèvre", "lefevre"),
                     ("Moreau", "moreau"), ("Garçon", "garcon"), ("Fontaine", "fontaine"), ("Roux", "roux"),
                     ("Berthier", "berthier"), ("Benali", "benali"), ("Mercier", "mercier"), ("Girard", "girard"),
                     ("Dupont", "dupont"), ("Rousseau", "rousseau"), ("N'Diaye", "ndiaye"), ("Le Gall", "legall")],
            favourites: ["pain au chocolat", "baguette tradition", "tarte aux pralines", "croissant, bien doré", "brioche"],
            compose: { g, f, _ in "\(g) \(f)" }),
        "en": Language(
            code: "en", domain: "example.com",
            given: [("Olivia", "olivia"), ("Amelia", "amelia"), ("Isla", "isla"), ("Noah", "noah"), ("Oliver", "oliver"),
                    ("George", "george"), ("Harry", "harry"), ("Sophie", "sophie"), ("Grace", "grace"), ("Siobhan", "siobhan"),
                    ("Aoife", "aoife"), ("William", "william"), ("Priya", "priya"), ("Kwame", "kwame")],
            family: [("Smith", "smith"), ("Jones", "jones"), ("Taylor", "taylor"), ("Brown", "brown"), ("Williams", "williams"),
                     ("Patel", "patel"), ("O'Brien", "obrien"), ("Robinson", "robinson"), ("MacDonald", "macdonald"),
                     ("Evans", "evans"), ("Okafor", "okafor"), ("Wright", "wright")],
            favourites: ["sourdough", "almond croissant", "cinnamon bun", "rye loaf"],
            compose: { g, f, _ in "\(g) \(f)" }),
        "ja": Language(
            code: "ja", domain: "example.jp",
            given: [("花子", "hanako"), ("健", "ken"), ("陽翔", "haruto"), ("蓮", "ren"), ("結菜", "yuina"), ("陽葵", "himari"),
                    ("大翔", "hiroto"), ("美咲", "misaki"), ("翔太", "shota"), ("さくら", "sakura"), ("愛", "ai"), ("悠真", "yuma")],
            family: [("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"), ("伊藤", "ito"),
                     ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"), ("小林", "kobayashi"), ("山田", "yamada")],
            favourites: ["メロンパン", "クロワッサン", "パン・オ・ショコラ", "あんパン"],
            // Family name first; some write a space between, some do not.
            compose: { g, f, i in i % 2 == 0 ? "\(f)\(g)" : "\(f) \(g)" }),
        "zh": Language(
            code: "zh", domain: "example.cn",
            given: [("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("秀英", "xiuying"), ("敏", "min"), ("静", "jing"),
                    ("强", "qiang"), ("磊", "lei"), ("子涵", "zihan"), ("浩然", "haoran"), ("欣怡", "xinyi"), ("雨桐", "yutong")],
            family: [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
                     ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("欧阳", "ouyang")],
            favourites: ["蛋挞", "菠萝包", "牛角包", "肉松面包"],
            compose: { g, f, _ in "\(f)\(g)" }),
        "ms": Language(
            code: "ms", domain: "example.my",
            given: [("Nurul Aina", "nurul.aina"), ("Siti Aisyah", "siti.aisyah"), ("Muhammad Hafiz", "muhammad.hafiz"),
                    ("Ahmad Faris", "ahmad.faris"), ("Farah", "farah"), ("Izzati", "izzati"), ("Syafiq", "syafiq"),
                    ("Aminah", "aminah"), ("Haziq", "haziq"), ("Nadia", "nadia"), ("Wei Ming", "weiming"), ("Kavitha", "kavitha")],
            family: [("Ismail", "ismail"), ("Abdullah", "abdullah"), ("Rahman", "rahman"), ("Hassan", "hassan"),
                     ("Othman", "othman"), ("Yusof", "yusof"), ("Ibrahim", "ibrahim"), ("Razak", "razak")],
            favourites: ["roti canai", "kuih lapis", "roti jala", "croissant"],
            // Patronymic names: "bin" for sons, "binti" for daughters; the sample does not
            // know which, so it alternates.
            compose: { g, f, i in "\(g) \(i % 2 == 0 ? "binti" : "bin") \(f)" }),
    ]

    /// The referrer at `index`; the same index always gives the same person.
    static func person(_ index: Int) -> Person {
        let language = languages[mix[index % mix.count]]!
        // Spread the combinations with two different strides so neighbours differ.
        let given = language.given[(index / mix.count) % language.given.count]
        let family = language.family[(index * 7 + index / 13) % language.family.count]
        let name = language.compose(given.0, family.0, index)
        // Every other referrer leaves first_name empty, so the loader derives it.
        let firstName = index % 2 == 0 ? "" : given.0
        return Person(language: language.code, name: name, firstName: firstName,
                      email: "\(given.1).\(family.1).\(index)@\(language.domain)",
                      favourite: language.favourites[index % language.favourites.count])
    }
}

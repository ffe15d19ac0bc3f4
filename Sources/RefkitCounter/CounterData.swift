import RefkitModel

/// The JSON the page parses at load: the tables, the strings of every language and the few
/// settings the script needs. Every text goes through `ScriptJSON`, which escapes `<`, `>`, `&`
/// and U+2028/2029 by scalar, so no value can end the `<script>` element it sits in.
enum CounterData {
    static func json(site: Site, tables: CounterTables, strings: [(LanguageTag, name: String, values: [String: String])]) -> String {
        var out = "{"
        func key(_ k: String) { out += ScriptJSON.string(k) + ":" }
        func text(_ k: String, _ v: String) { key(k); out += ScriptJSON.string(v) + "," }
        func int(_ k: String, _ v: Int) { key(k); out += String(v) + "," }
        // Records on the device are kept per site, so two shops' counter pages opened from the
        // same folder or stick do not mix their redemptions.
        text("site", site.baseURL)
        text("brand", site.name)
        text("default", strings[0].0.rawValue)
        int("length", site.codes.length)
        int("group", site.codes.group)
        key("columns")
        out += "[" + RedemptionExport.columns.map(ScriptJSON.string).joined(separator: ",") + "],"
        key("langs")
        out += "{" + strings.map { language, name, values in
            ScriptJSON.string(language.rawValue) + ":{\"name\":" + ScriptJSON.string(name) + ",\"s\":{"
                + CounterStrings.keys.map { ScriptJSON.string($0) + ":" + ScriptJSON.string(values[$0] ?? "") }.joined(separator: ",")
                + "}}"
        }.joined(separator: ",") + "},"
        key("codes")
        out += "[" + tables.blocks.map { "{\"n\":\($0.length),\"s\":" + ScriptJSON.string($0.codes) + "}" }.joined(separator: ",") + "],"
        key("names")
        out += "[" + tables.names.map(ScriptJSON.string).joined(separator: ",") + "],"
        key("n")
        out += "[" + tables.nameIndex.map(String.init).joined(separator: ",") + "],"
        key("g")
        out += "[" + tables.groupIndex.map(String.init).joined(separator: ",") + "],"
        key("groups")
        out += "[" + tables.groups.map { group in
            guard let g = group else { return "null" }
            return "{\"p\":" + ScriptJSON.string(g.program) + ",\"h\":" + ScriptJSON.string(g.headline)
                + ",\"l\":" + ScriptJSON.string(g.language.rawValue) + ",\"ln\":" + ScriptJSON.string(g.languageName)
                + ",\"v\":" + ScriptJSON.string(g.variant) + ",\"o\":" + ScriptJSON.string(g.offer) + "}"
        }.joined(separator: ",") + "]"
        return out + "}"
    }
}

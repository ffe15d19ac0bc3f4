internal import CYaml

/// Refuses the YAML that makes a small file cost unbounded time or memory, before Yams builds
/// its tree: anchors and aliases, and nesting deeper than any refkit file needs.
///
/// An alias (`*name`) repeats the node its anchor (`&name`) names, so nine aliases of nine
/// aliases of ... ("billion laughs") turn 700 bytes into 9⁹ values: refkit's walk of the tree
/// took 100 s and 1 GB on one, and Yams itself hashes a whole aliased tree when it is a key.
/// No refkit file needs aliases (each value is written once, where it belongs), so any is
/// refused, at its line. Deep nesting (`[[[[…`) would make the tree walks recurse as deep.
///
/// The check runs libyaml's scanner, the tokenizer Yams' own parser runs on, so it sees
/// exactly what the parser will: an `&` or `*` inside quotes or a block of text is no token.
/// Scanning is linear in the text; a syntax error stops the check, and Yams then reports it.
enum YAMLTokenCheck {
    /// Far more than refkit's deepest key (`back.qr.size` in postcard.yaml, a variant's
    /// email message), far less than what strains a recursive walk.
    static let maximumDepth = 64

    struct Refusal: Equatable {
        /// From 1, in the text scanned.
        var line: Int
        var column: Int
        var message: String
        var fix: String
    }

    static func check(_ text: String) -> Refusal? {
        var text = text
        return text.withUTF8 { bytes -> Refusal? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var depth = 0
            while true {
                var token = yaml_token_t()
                guard yaml_parser_scan(&parser, &token) == 1 else { return nil }
                defer { yaml_token_delete(&token) }
                let line = Int(token.start_mark.line) + 1, column = Int(token.start_mark.column) + 1
                switch token.type {
                case YAML_STREAM_END_TOKEN:
                    return nil
                case YAML_ANCHOR_TOKEN, YAML_ALIAS_TOKEN:
                    let name = token.type == YAML_ANCHOR_TOKEN ? token.data.anchor.value : token.data.alias.value
                    let written = (token.type == YAML_ANCHOR_TOKEN ? "&" : "*") + (name.map { String(cString: $0) } ?? "")
                    return Refusal(line: line, column: column,
                                   message: "YAML anchors and aliases (`\(String(written.prefix(40)))`) are not accepted",
                                   fix: "write the value out in full where it is used; refkit refuses aliases because a few lines of them can expand into billions of values")
                case YAML_FLOW_SEQUENCE_START_TOKEN, YAML_FLOW_MAPPING_START_TOKEN,
                     YAML_BLOCK_SEQUENCE_START_TOKEN, YAML_BLOCK_MAPPING_START_TOKEN:
                    depth += 1
                    if depth > maximumDepth {
                        return Refusal(line: line, column: column,
                                       message: "the YAML is nested more than \(maximumDepth) levels deep",
                                       fix: "refkit's files need a few levels at most: check the brackets and the indentation")
                    }
                case YAML_FLOW_SEQUENCE_END_TOKEN, YAML_FLOW_MAPPING_END_TOKEN, YAML_BLOCK_END_TOKEN:
                    depth -= 1
                default:
                    break
                }
            }
        }
    }
}

import RefkitModel

/// How the print step names a run's files: `SLUG-LANG`, with `-vVARIANT` for a variant other
/// than the control. The PDFs (`print/BASE-shop-001.pdf`) and the records kept with them
/// (`PostcardFileRecord`) share it.
enum PrintFileName {
    static func base(program: String, language: LanguageTag, variant: String) -> String {
        "\(program)-\(language.rawValue)" + (variant == Variant.controlName ? "" : "-v\(variant)")
    }
}

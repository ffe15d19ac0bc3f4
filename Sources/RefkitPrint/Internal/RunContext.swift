import RefkitModel

/// What every error of one run names: the programme, the language and the files to edit.
struct RunContext {
    var program: String
    var language: LanguageTag
    var variant: String
    /// The programme's copy, when known.
    var origin: String?
    var layoutFile: String

    /// An error in the copy (text too long, characters no font has).
    func copyError(_ field: String, _ message: String, fix: String? = nil) -> PrintError {
        PrintError(program: program, language: language, field: field,
                   location: SourceLocation(file: origin ?? layoutFile), message: message, fix: fix)
    }

    /// An image that cannot be decoded or drawn: the file to fix is the image.
    func imageError(_ field: String, _ failure: ImageFailure) -> PrintError {
        PrintError(program: program, language: language, field: field,
                   location: SourceLocation(file: failure.image.description), message: failure.description,
                   fix: failure.fix ?? "open it in an image editor and export it again as SVG, PNG or JPEG")
    }

    /// An error in the layout file.
    func layoutError(_ field: String, _ message: String, fix: String? = nil) -> PrintError {
        PrintError(program: program, language: language, field: field,
                   location: SourceLocation(file: layoutFile), message: message, fix: fix)
    }
}

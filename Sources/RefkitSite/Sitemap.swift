import RefkitModel

/// `sitemap.xml`: public landing and terms pages only, with `hreflang` alternates. Personal
/// pages stay out: they are `noindex` and name a person.
struct Sitemap {
    let project: Project

    func xml() -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">

        """
        for program in project.programs {
            for suffix in ["", "terms/"] {
                for edition in program.editions {
                    out += "  <url>\n    <loc>\(Escape.xml(url(program, edition.language, suffix)))</loc>\n"
                    for other in program.editions {
                        out += "    <xhtml:link rel=\"alternate\" hreflang=\"\(other.language.rawValue)\" href=\"\(Escape.xml(url(program, other.language, suffix)))\"/>\n"
                    }
                    out += "  </url>\n"
                }
            }
        }
        return out + "</urlset>\n"
    }

    private func url(_ program: Program, _ language: LanguageTag, _ suffix: String) -> String {
        project.site.url(Escape.urlPath(project.path(of: program, language: language)) + suffix)
    }
}

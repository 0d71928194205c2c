import LTFUL10n

/// Text made safe for HTML, the one escaping every page of the report goes through.
enum HTML {
    static func escape(_ text: String) -> String {
        // Most texts (codes, dates, labels) have nothing to escape: a report of 100,000
        // subjects escapes some 10 million of them.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A table with a header row; cells are escaped unless given as `Raw`.
    /// It sits in a scrolling region a keyboard can reach and a screen reader names by `label`
    /// (WCAG 2.1.1; axe-core's `scrollable-region-focusable`).
    static func table(_ header: [String], _ rows: [[Cell]], label: String, class name: String? = nil,
                      rowClass: (Int) -> String? = { _ in nil }) -> String
    {
        var out = "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"\(escape(label))\">"
        out += "<table\(name.map { " class=\"\($0)\"" } ?? "")><thead><tr>"
        out += header.map { "<th scope=\"col\">\(escape($0))</th>" }.joined()
        out += "</tr></thead><tbody>"
        for (index, row) in rows.enumerated() {
            out += "<tr\(rowClass(index).map { " class=\"\($0)\"" } ?? "")>" + row.map { "<td>\($0.html)</td>" }.joined() + "</tr>"
        }
        return out + "</tbody></table></div>"
    }

    /// A table cell: text to escape, or markup made by the report itself.
    enum Cell: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
        case text(String)
        case raw(String)

        init(stringLiteral value: String) { self = .text(value) }

        var html: String {
            switch self {
            case .text(let text): HTML.escape(text)
            case .raw(let markup): markup
            }
        }
    }

    /// The page around `body`: its language, its title, the stylesheet beside it, a viewport
    /// for phones; `nav` is the part before the page's `main` landmark.
    static func page(title: String, language: Language, stylesheet: String, nav: String = "", body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language.tag)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <link rel="stylesheet" href="\(escape(stylesheet))">
        </head>
        <body>
        \(nav)<main>
        \(body)
        </main>
        </body>
        </html>

        """
    }
}

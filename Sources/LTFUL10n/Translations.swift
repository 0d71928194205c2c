import Foundation

/// The translations, read once from the `.po` files the build embeds
/// (`resources: [.embedInCode(...)]` in Package.swift): nothing to install or find at run
/// time, so a static ltfud or ltfuctl speaks Chinese wherever it is copied.
///
/// Why gettext `.po` and not `.strings` or `Bundle.module`: Foundation on Linux finds a
/// resource bundle only beside the executable (a folder in `/usr/bin`, which Debian's policy
/// and lintian refuse), while a `.po` embedded at build time needs nothing at run time, and
/// `.po` is what translators' tools (Poedit, Weblate, Lokalize) edit and check.
public enum Translations {
    /// English text → Simplified Chinese.
    public static let chinese: [String: String] = PortableObject.entries(String(decoding: PackageResources.zh_CN_po, as: UTF8.self))
}

/// Reads the subset of GNU gettext's PO format a translator's tool writes: `msgid` and
/// `msgstr` with continuation lines and C escapes, `#` comments, a `fuzzy` flag (a fuzzy
/// entry is not used, as gettext does), and the header entry (empty `msgid`, skipped).
public enum PortableObject {
    public static func entries(_ text: String) -> [String: String] {
        var entries: [String: String] = [:]
        var fuzzy = false
        var field: WritableKeyPath<(String?, String?), String?>?
        var current: (String?, String?) = (nil, nil)
        func finish() {
            if let key = current.0, let value = current.1, !key.isEmpty, !value.isEmpty, !fuzzy { entries[key] = value }
            current = (nil, nil)
            fuzzy = false
            field = nil
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                continue
            } else if line.hasPrefix("#,") {
                if current.1 != nil { finish() }
                if line.contains("fuzzy") { fuzzy = true }
            } else if line.hasPrefix("#") {
                continue
            } else if line.hasPrefix("msgid ") {
                if current.1 != nil { finish() }
                current.0 = unquote(line.dropFirst(6))
                field = \.0
            } else if line.hasPrefix("msgstr ") {
                current.1 = unquote(line.dropFirst(7))
                field = \.1
            } else if line.hasPrefix("\""), let field {
                current[keyPath: field] = (current[keyPath: field] ?? "") + unquote(line[...])
            }
        }
        finish()
        return entries
    }

    /// A PO string's text: the quotes off, `\n`, `\t`, `\"` and `\\` read.
    static func unquote(_ quoted: Substring) -> String {
        let body = quoted.trimmingCharacters(in: .whitespaces)
        guard body.hasPrefix("\""), body.hasSuffix("\""), body.count >= 2 else { return body }
        return unescape(body.dropFirst().dropLast())
    }

    /// `\n`, `\t`, `\"` and `\\` read as written in a PO string (and a Swift literal).
    static func unescape(_ written: Substring) -> String {
        var result = ""
        var escaped = false
        for character in written {
            if escaped {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: result.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}

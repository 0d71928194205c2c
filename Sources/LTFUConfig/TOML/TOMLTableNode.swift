/// A table while its document is still being read. It remembers how it came to exist, because
/// TOML 1.0 lets some tables be added to later and forbids it for others (see
/// `TOMLParser+Definitions.swift`); once the document is read it becomes a plain ``TOMLTable``.
///
/// A class, so that `[a.b]` can hand the parser the very table later lines fill in, and so
/// that appending to an array of tables is not a copy of the array.
final class TOMLTableNode {
    /// How a table came to exist.
    enum Origin: Equatable {
        /// Made on the way to another table, as `[a.b]` makes `a`; `[a]` may still define it.
        case implicit
        /// Defined by a `[header]` or as an element of `[[array]]`.
        case header
        /// Made by dotted keys (`a.b = 1` makes `a`) in the section with this number; only
        /// that section's dotted keys may add to it.
        case dotted(section: Int)
    }

    /// What a key holds while the document is read.
    enum Entry {
        case table(TOMLTableNode)
        case tables(TOMLTableArray)
        /// A finished value, with the offset it was written at. Inline tables and arrays written
        /// as values are here too: TOML forbids adding to them.
        case value(TOMLValue, position: Int)

        /// Where the entry was first made, for "first defined on line …".
        var position: Int {
            switch self {
            case .table(let table): table.position
            case .tables(let array): array.position
            case .value(_, let position): position
            }
        }
    }

    var origin: Origin
    /// Where the table was made or defined, for "first defined on line …".
    var position: Int
    private var keys: [String] = []
    private var entries: [String: Entry] = [:]

    init(origin: Origin, position: Int) {
        self.origin = origin
        self.position = position
    }

    subscript(key: String) -> Entry? {
        entries[key]
    }

    /// Adds a key this table does not have yet.
    func add(_ key: String, _ entry: Entry) {
        if entries.updateValue(entry, forKey: key) == nil { keys.append(key) }
    }

    /// The finished table. Recursion is bounded by the parser's depth limit.
    func finished() -> TOMLTable {
        var table = TOMLTable()
        for key in keys {
            switch entries[key] {
            case .table(let node): table[key] = .table(node.finished())
            case .tables(let array): table[key] = .array(array.tables.map { .table($0.finished()) })
            case .value(let value, _): table[key] = value
            case nil: break
            }
        }
        return table
    }
}

/// The tables of a `[[name]]` array, in order; `[[name]]` appends and `[name.sub]` goes into the last.
final class TOMLTableArray {
    private(set) var tables: [TOMLTableNode]
    let position: Int

    init(first: TOMLTableNode) {
        tables = [first]
        position = first.position
    }

    func append(_ table: TOMLTableNode) {
        tables.append(table)
    }
}

/// A TOML table: keys in the order the file first wrote them, so messages and listings follow
/// the file rather than hash order.
struct TOMLTable: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    /// Every key once, in order of first appearance.
    private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]

    init() {}

    init(dictionaryLiteral elements: (String, TOMLValue)...) {
        for (key, value) in elements { self[key] = value }
    }

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }

    /// Setting a new key appends it; setting an existing key keeps its place; `nil` removes it.
    subscript(key: String) -> TOMLValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }
}

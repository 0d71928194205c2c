/// One value of a TOML document, as the configuration readers see it.
///
/// Date-times stay as their source text (`1979-05-27T07:32:00-08:00`, `1979-05-27`, `07:32:00`):
/// no configuration key takes one yet, and converting would lose what the site wrote (local
/// versus offset times, sub-microsecond fractions) before anyone needed it.
enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    /// An offset or local date-time, a local date or a local time, exactly as written.
    case datetime(String)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The TOML type with its article, for messages such as "must be a whole number, not a string".
    var kind: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .bool: "a boolean"
        case .datetime(let text):
            switch (text.contains("-"), text.contains(":")) {
            case (true, true): "a date-time"
            case (true, false): "a date"
            default: "a time"
            }
        case .array: "an array"
        case .table: "a table"
        }
    }

    var string: String? {
        if case .string(let value) = self { value } else { nil }
    }

    var integer: Int? {
        if case .integer(let value) = self { value } else { nil }
    }

    var float: Double? {
        if case .float(let value) = self { value } else { nil }
    }

    var bool: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    var array: [TOMLValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    var table: TOMLTable? {
        if case .table(let value) = self { value } else { nil }
    }
}

/// Literals, so tests and defaults read the way TOML writes them: `["a": 1, "b": [true]]`.
extension TOMLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .integer(value) }
    init(floatLiteral value: Double) { self = .float(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: TOMLValue...) { self = .array(elements) }

    init(dictionaryLiteral elements: (String, TOMLValue)...) {
        var table = TOMLTable()
        for (key, value) in elements { table[key] = value }
        self = .table(table)
    }
}

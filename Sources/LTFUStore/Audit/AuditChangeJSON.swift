import Foundation
import LTFUCore

/// The JSON of an audit row's `change`: keys sorted, no spaces, `/` not escaped, integral
/// numbers without a fraction. Written by hand because an import writes one row per subject
/// and Foundation's JSONSerialization took a tenth of its time; the row's hash covers the
/// text as stored, so how it is made never has to match an older row's.
enum AuditChangeJSON {
    static func encode(_ change: [String: any Sendable]) throws -> String {
        var out = ""
        try write(change, to: &out)
        return out
    }

    static func write(_ value: Any, to out: inout String) throws {
        switch value {
        case let text as String: string(text, to: &out)
        case let flag as Bool: out += flag ? "true" : "false"
        case let number as Int: out += String(number)
        case let number as Int64: out += String(number)
        case let number as Int32: out += String(number)
        case let number as UInt32: out += String(number)
        case let number as Double:
            guard number.isFinite else { throw LTFUError(.internal, code: "audit-encoding", "an audit change holds {value}", ["value": number]) }
            out += number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case let object as [String: any Sendable]:
            out += "{"
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                string(key, to: &out)
                out += ":"
                try write(object[key] as Any, to: &out)
            }
            out += "}"
        case let list as [any Sendable]:
            out += "["
            for (index, element) in list.enumerated() {
                if index > 0 { out += "," }
                try write(element, to: &out)
            }
            out += "]"
        default:
            throw LTFUError(.internal, code: "audit-encoding", "an audit change holds a {type}", ["type": "\(type(of: value))"])
        }
    }

    static func string(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

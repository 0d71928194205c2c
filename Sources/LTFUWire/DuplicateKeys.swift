/// Finds a key that stands twice in one JSON object (issue #13: Foundation's decoder keeps the
/// first and drops the second without a word, so `{"on": "2025-01-01", "on": "2025-02-01"}`
/// would record a date the client may not have meant). Scans the bytes once; JSON that is
/// not well formed is left for the decoder to refuse.
public enum DuplicateKeys {
    /// The first key repeated within one object, or `nil`.
    public static func first(in bytes: [UInt8]) -> String? {
        var stack: [(isObject: Bool, keys: Set<[UInt8]>, expectingKey: Bool)] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                stack.append((true, [], true))
            case UInt8(ascii: "["):
                stack.append((false, [], false))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: ","):
                if let last = stack.indices.last, stack[last].isObject { stack[last].expectingKey = true }
            case UInt8(ascii: "\""):
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                if let last = stack.indices.last, stack[last].isObject, stack[last].expectingKey {
                    let key = Array(bytes[(index + 1)..<min(end, bytes.count)])
                    if stack[last].keys.contains(key) { return String(decoding: key, as: UTF8.self) }
                    stack[last].keys.insert(key)
                    stack[last].expectingKey = false
                }
                index = end
            default:
                break
            }
            index += 1
        }
        return nil
    }
}

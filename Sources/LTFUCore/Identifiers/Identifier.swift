/// Identifiers people type: subject codes, product ids, schedule ids.
///
/// SPEC §5: a subject code is a pseudonym matching `[A-Za-z0-9][A-Za-z0-9._-]{0,63}`. Product
/// and schedule ids follow the same rule, so none of them can inject a header, a path or a
/// journal field.
public enum Identifier {
    public static let pattern = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}"

    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 64, isAlphanumeric(first) else { return false }
        return bytes.dropFirst().allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

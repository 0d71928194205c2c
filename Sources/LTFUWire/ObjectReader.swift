/// Reads JSON strings without escapes and the punctuation around them; any other input stops
/// it. The daemon's large answers (`due`, `overdue`) are arrays of such objects: ltfuctl reads
/// them with this instead of a decoder (issue #15), into values (``VisitDue``) or straight
/// into a table. Inlinable: it runs once per byte of a 2 MB answer.
public struct ObjectReader {
    public let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var index = 0

    /// Reads `bytes` from `index` on (an answer read as it arrives goes on where it stopped).
    @inlinable public init(bytes: UnsafeBufferPointer<UInt8>, at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// Where the next read starts.
    @inlinable public var position: Int { index }

    /// Whether only white space is left.
    @inlinable public var atEnd: Bool {
        mutating get {
            skipSpace()
            return index == bytes.count
        }
    }

    @inlinable mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Takes `byte` after any white space, or leaves everything as it was.
    @inlinable public mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// The bytes of a string with no escape and no control character in it, quotes left out.
    @inlinable public mutating func stringRange() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            guard bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 else { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return start..<index
    }

    /// The same string, as valid UTF-8.
    @inlinable public mutating func string() -> String? {
        stringRange().flatMap { String(validating: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
    }

    /// Whether `range` holds exactly the bytes of `text`.
    @inlinable public func range(_ range: Range<Int>, is text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        return text.withUTF8Buffer { expected in
            var offset = 0
            while offset < expected.count, bytes[range.lowerBound + offset] == expected[offset] { offset += 1 }
            return offset == expected.count
        }
    }
}

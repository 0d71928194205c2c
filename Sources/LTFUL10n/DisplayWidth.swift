/// How many terminal columns a text takes (issue #22): CJK ideographs, kana, Hangul and
/// full-width forms take two, as `wcwidth(3)` counts them (Unicode East Asian Width W and F);
/// combining marks none. Tables line up by this, never by `count`.
extension String {
    public var displayWidth: Int {
        unicodeScalars.reduce(0) { $0 + $1.columns }
    }

    /// The text followed by spaces up to `columns` terminal columns.
    public func padded(toColumns columns: Int) -> String {
        self + String(repeating: " ", count: max(0, columns - displayWidth))
    }
}

extension Unicode.Scalar {
    var columns: Int {
        let value = value
        if properties.generalCategory == .nonspacingMark || properties.generalCategory == .enclosingMark || value == 0x200B { return 0 }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
             0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

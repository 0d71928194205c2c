extension TOMLScanner {
    /// The offset of the first byte that is not well-formed UTF-8 (RFC 3629: no overlong forms,
    /// no surrogates, nothing above U+10FFFF), or `nil`. TOML documents must be UTF-8, and
    /// checking once up front lets every later step decode bytes without doubt.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // The length of the sequence and the allowed range of its second byte.
            let length: Int
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; second = 0xA0...0xBF
            case 0xED: length = 3; second = 0x80...0x9F
            case 0xE1...0xEF: length = 3
            case 0xF0: length = 4; second = 0x90...0xBF
            case 0xF4: length = 4; second = 0x80...0x8F
            case 0xF1...0xF3: length = 4
            default: return index
            }
            for offset in 1..<length {
                let position = index + offset
                guard position < bytes.count else { return index }
                let continuation = bytes[position]
                guard (offset == 1 ? second : 0x80...0xBF).contains(continuation) else { return index }
            }
            index += length
        }
        return nil
    }
}

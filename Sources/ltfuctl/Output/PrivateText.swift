#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LTFUCore

/// Birth dates and free text given as `-` are read from standard input (or asked for on a
/// terminal), so they never stand on a command line that sudo and PAM write to the journal
/// (issue #13; README "Installing on a site server").
enum PrivateText {
    static let limit = 64 * 1024

    /// `value`, or what standard input holds when `value` is `-`.
    static func read(_ value: String?, what: LTFUError.Value) throws(LTFUError) -> String? {
        guard value == "-" else { return value }
        if isatty(STDIN_FILENO) == 1 {
            var standardError = StandardError()
            print("\(what.text(in: Ctl.language)): ", terminator: "", to: &standardError)
            return readLine(strippingNewline: true)
        }
        let data = FileHandle.standardInput.readData(ofLength: limit + 1)
        guard data.count <= limit else {
            throw LTFUError(.usage, code: "input-too-long", "the {what} read from standard input is longer than {limit} bytes", ["what": what, "limit": limit])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LTFUError(.usage, code: "invalid-input", "the {what} read from standard input is not UTF-8 text", ["what": what])
        }
        return text.trimmingCharacters(in: .newlines)
    }
}

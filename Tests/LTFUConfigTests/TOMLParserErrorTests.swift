import Foundation
import Testing
@testable import LTFUConfig

/// Every kind of mistake, with the line and column a site admin is sent to and words they
/// understand. Each row is a document and exactly what the parser says about it.
@Suite struct TOMLParserErrorTests {
    static func error(_ text: String) -> String {
        do {
            let table = try TOMLParser.parse(text)
            return "accepted: \(table)"
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        // The inputs that aborted ltfud under toml++.
        ("a = 1\nb = 2\n[#", ##"line 3, column 2: expected a key after "[", found "#""##),
        ("[=", #"line 1, column 2: expected a key after "[", found "=""#),
        ("[,]", #"line 1, column 2: expected a key after "[", found ",""#),
        ("[{", #"line 1, column 2: expected a key after "[", found "{""#),
        ("[.a]", #"line 1, column 2: expected a key after "[", found ".""#),
        ("[[[a]]]", #"line 1, column 3: expected a key after "[[", found "[""#),
        ("a = 1\n= 2", #"line 2, column 1: expected a key, a [table] or a comment, found "=""#),
        ("a b = 1", #"line 1, column 3: expected "=" after the key `a`, found "b""#),
        ("a.= 1", #"line 1, column 3: expected a key after ".", found "=""#),
        ("a = 1 b = 2", #"line 1, column 7: expected the end of the line after the value, found "b""#),
        ("[a", #"line 1, column 3: expected "]" after the table name, found the end of the file"#),
        ("[[a] ]", #"line 1, column 4: expected "]]" after the name of the array of tables, found "]""#),
        ("[a]]", #"line 1, column 4: expected the end of the line after the table header, found "]""#),
        ("a =\n1", #"line 1, column 4: expected a value after "=", found the end of the line"#),
        ("a = ", #"line 1, column 5: expected a value after "=", found the end of the file"#),
        ("a = hello", #"line 1, column 5: expected a value after "=", found "hello" (a string needs quotes)"#),
        ("a = 1\r\n\rb = 2", "line 2, column 1: expected the end of the line after a comment, found a carriage return without a line feed (U+000D)"),
        (#""""a""" = 1"#, "line 1, column 1: a multi-line string cannot be a key"),
        ("a = 1\nb = \u{A0}", "line 2, column 5: expected a value after \"=\", found \"\u{A0}\" (U+00A0)"),
    ])
    func syntax(document: String, message: String) {
        #expect(Self.error(document) == message)
    }

    @Test(arguments: [
        (#"a = "abc"#, "line 1, column 5: this string is not closed before the end of the file"),
        ("a = 'abc\nb = 1", "line 1, column 5: this string is not closed before the end of the line"),
        ("a = \"\"\"abc\n", "line 1, column 5: this string is not closed before the end of the file"),
        (#"a = "\x""#, #"line 1, column 6: "\x" is not an escape TOML knows (write \\ for a backslash)"#),
        (#"a = "\u12""#, #"line 1, column 10: expected 4 hexadecimal digits after "\u", found '"'"#),
        (#"a = "\uD800""#, "line 1, column 6: U+D800 is not a Unicode scalar value (surrogates and values above U+10FFFF are not)"),
        (#"a = "\U00110000""#, "line 1, column 6: U+110000 is not a Unicode scalar value (surrogates and values above U+10FFFF are not)"),
        ("a = \"a\u{7}b\"", #"line 1, column 7: the control character U+0007 is not allowed in a string (write it as \u0007)"#),
        ("a = 'a\u{0}'", #"line 1, column 7: the control character U+0000 is not allowed in a string (write it as \u0000)"#),
        ("a = \"a\u{7F}b\"", #"line 1, column 7: the control character U+007F is not allowed in a string (write it as \u007F)"#),
        (#"a = """a\  b""""#, #"line 1, column 12: a "\" followed by whitespace must end its line, found "b""#),
        (#"a = """x"""""""#, "line 1, column 9: too many quotes at the end of a multi-line string (at most five)"),
        ("# c \u{1}", "line 1, column 5: the control character U+0001 is not allowed in a comment"),
    ])
    func strings(document: String, message: String) {
        #expect(Self.error(document) == message)
    }

    @Test(arguments: [
        ("a = 9223372036854775808", "line 1, column 5: 9223372036854775808 does not fit in a 64-bit integer (-9223372036854775808 to 9223372036854775807)"),
        ("a = -9223372036854775809", "line 1, column 5: -9223372036854775809 does not fit in a 64-bit integer (-9223372036854775808 to 9223372036854775807)"),
        ("a = 0x8000000000000000", "line 1, column 5: 0x8000000000000000 does not fit in a 64-bit integer (-9223372036854775808 to 9223372036854775807)"),
        ("a = 012", "line 1, column 5: a number must not start with a zero (leading zeros are not allowed)"),
        ("a = 1__0", #"line 1, column 6: an "_" in a number must stand between two digits"#),
        ("a = 1_", #"line 1, column 6: an "_" in a number must stand between two digits"#),
        ("a = 0x_1", #"line 1, column 7: expected a hexadecimal digit after "0x", found "_1""#),
        ("a = 0o8", #"line 1, column 7: expected an octal digit after "0o", found "8""#),
        ("a = 0X1F", #"line 1, column 6: expected the end of the line after the value, found "X1F""#),
        ("a = +0x1", #"line 1, column 7: expected the end of the line after the value, found "x1""#),
        ("a = 1.", "line 1, column 7: expected a digit after the decimal point, found the end of the file"),
        ("a = .5", #"line 1, column 5: expected a value after "=", found ".""#),
        ("a = 1e", "line 1, column 7: expected a digit after the exponent, found the end of the file"),
        ("a = 1.2.3", #"line 1, column 8: expected the end of the line after the value, found ".""#),
    ])
    func numbers(document: String, message: String) {
        #expect(Self.error(document) == message)
    }

    @Test(arguments: [
        ("a = 1979-13-01", "line 1, column 5: 1979-13-01 is not a date: there is no month 13"),
        ("a = 2023-02-29", "line 1, column 5: 2023-02-29 is not a date: that month has 28 days"),
        ("a = 1979-05-27T24:00:00", "line 1, column 16: 24:00:00 is not a time of day: hours go to 23, minutes to 59, seconds to 60"),
        ("a = 1979-05-27T07:32", #"line 1, column 21: expected ":" in the time (seconds are required), found the end of the file"#),
        ("a = 1979-05-27T07:32:00+24:00", "line 1, column 5: 1979-05-27T07:32:00+24:00 has no valid offset: hours go to 23, minutes to 59"),
        ("a = 1979-05-27T07:32:00.", "line 1, column 25: expected a digit after the decimal point of the seconds, found the end of the file"),
        ("a = 1979-5-27", #"line 1, column 10: expected 2 digits for the month, found "5-27""#),
        ("a = 07:32:00Z", #"line 1, column 13: expected the end of the line after the value, found "Z""#),
    ])
    func dateTimes(document: String, message: String) {
        #expect(Self.error(document) == message)
    }

    @Test(arguments: [
        ("a = [1, 2", "line 1, column 10: the array opened on line 1 is not closed before the end of the file"),
        ("a = [1 2]", #"line 1, column 8: expected "," or "]" after an element of the array, found "2""#),
        ("a = [,]", #"line 1, column 6: expected a value after "[", found ",""#),
        ("a = [1,,2]", #"line 1, column 8: expected a value after ",", found ",""#),
        ("a = {b = 1,}", #"line 1, column 12: expected a key after ",", found "}" (an inline table takes no trailing comma)"#),
        ("a = {b = 1,\nc = 2}", #"line 1, column 12: expected a key after ",", found the end of the line (an inline table must be on one line)"#),
        ("a = {b = 1", #"line 1, column 11: expected "," or "}" after a value of the inline table, found the end of the file (an inline table must be on one line)"#),
        ("a = {b = 1 c = 2}", #"line 1, column 12: expected "," or "}" after a value of the inline table, found "c""#),
        ("a = " + String(repeating: "[", count: 10_000), "line 1, column 69: nesting deeper than 64 levels of tables and arrays"),
    ])
    func arraysAndInlineTables(document: String, message: String) {
        #expect(Self.error(document) == message)
    }

    @Test(arguments: [
        ("a = 1\na = 2", "line 2, column 1: key `a` is defined twice (first on line 1)"),
        ("[a]\nb = 1\n\n[a]", "line 4, column 2: table [a] is defined twice (first on line 1)"),
        ("a.b = 1\n[a]", "line 2, column 2: table [a] was already defined by dotted keys on line 1"),
        ("[a]\nb.c = 1\n[a.b]", "line 3, column 4: table [a.b] was already defined by dotted keys on line 2"),
        ("[a.b]\nc = 1\n[a]\nb.d = 2", "line 4, column 1: table `a.b` is already defined on line 1; dotted keys cannot add to it"),
        ("a = {}\n[a]", "line 2, column 2: `a` is an inline table (line 1), which cannot be added to"),
        ("a = {b = 1}\na.c = 2", "line 2, column 1: `a` is an inline table (line 1), which cannot be added to"),
        ("a = {b = 1, b = 2}", "line 1, column 13: key `b` is defined twice (first on line 1)"),
        ("a = {b = {c = 1}, b.d = 2}", "line 1, column 19: `b` is an inline table (line 1), which cannot be added to"),
        ("a = []\n[[a]]", "line 2, column 3: [[a]] cannot append to the array `a` written on line 1; only arrays made with [[…]] can grow"),
        ("a = [1]\n[a.b]", "line 2, column 2: `a` is an array (line 1), which cannot be added to"),
        ("[[a]]\n[a]", "line 2, column 2: [a] is an array of tables (first [[a]] on line 1), not a table"),
        ("[a]\n[[a]]", "line 2, column 3: [[a]] cannot append to `a`, which is a table (line 1)"),
        ("[[a]]\nb.c = 1\n[[a]]\nb = 2\nb.c = 3", "line 5, column 1: `a.b` already holds an integer (line 4), not a table"),
        ("a = 1\n[a.b]", "line 2, column 2: `a` already holds an integer (line 1), not a table"),
        ("a.b = 1\na.b.c = 2", "line 2, column 3: `a.b` already holds an integer (line 1), not a table"),
    ])
    func definedOnce(document: String, message: String) {
        #expect(Self.error(document) == message)
    }

    @Test func invalidUTF8_isNamedWithItsByte() {
        #expect(throws: TOMLError(line: 2, column: 12, message: "the file is not valid UTF-8 here (byte 0xE9); TOML files must be UTF-8 text")) {
            try TOMLParser.parse(Array("a = 1\nname = \"caf".utf8) + [0xE9, 0x22])
        }
        for bytes: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] {
            #expect(throws: TOMLError.self) { try TOMLParser.parse(Array("# ".utf8) + bytes) }
        }
    }
}

import Foundation
import Testing
@testable import LTFUConfig

/// The TOML 1.0 parser: each construct read to a literal value, each mistake named with its
/// line and column, and a corpus of hostile files (the inputs that aborted ltfud under
/// toml++, and worse) that must each give exactly one problem, never a crash.
@Suite struct TOMLParserTests {
    func parse(_ text: String) throws -> TOMLTable {
        try TOMLParser.parse(text)
    }

    // MARK: Constructs

    @Test func comments_blankLinesAndWhitespace_areSkipped() throws {
        #expect(try parse("# a comment\n\n  \ta = 1 # after a value\n\t# indented\n") == ["a": 1])
        #expect(try parse("") == [:])
        #expect(try parse("# only a comment é") == [:])
    }

    @Test func keys_bareQuotedAndDotted() throws {
        let table = try parse(#"""
            bare_key-1 = 1
            1234 = 2
            "quoted key" = 3
            'literal "key"' = 4
            "" = 5
            "\u00e9" = 6
            site . "google.com" . x = 7
            3.14 = 8
            """#)
        #expect(table == [
            "bare_key-1": 1, "1234": 2, "quoted key": 3, "literal \"key\"": 4, "": 5, "é": 6,
            "site": ["google.com": ["x": 7]], "3": ["14": 8],
        ])
    }

    @Test func keys_keepTheFilesOrder() throws {
        let table = try parse("z = 1\na = 2\nm.b = 3\nm.a = 4\n")
        #expect(table.keys == ["z", "a", "m"])
        #expect(table["m"]?.table?.keys == ["b", "a"])
    }

    @Test func basicString_everyEscape() throws {
        let table = try parse(#"s = "tab\there \"q\" back\\slash \b\f\n\r \u00E9 \U0001F600 literal é""#)
        #expect(table["s"] == "tab\there \"q\" back\\slash \u{8}\u{C}\n\r é 😀 literal é")
    }

    @Test func literalString_takesBackslashesAsWritten() throws {
        #expect(try parse(#"p = 'C:\Users\nodejs\templates'"#) == ["p": #"C:\Users\nodejs\templates"#])
    }

    @Test func multilineBasicString_trimsTheFirstNewline_andJoinsLinesEndingInABackslash() throws {
        let table = try parse(#"""
            a = """
            Roses
            Violets"""
            b = """The quick \
                  brown \

               fox."""
            c = """""x"""""
            d = """two "" quotes"""
            e = """tab\tand \u00e9"""
            """#)
        #expect(table == ["a": "Roses\nViolets", "b": "The quick brown fox.", "c": "\"\"x\"\"", "d": "two \"\" quotes", "e": "tab\tand é"])
    }

    @Test func multilineLiteralString_keepsEverythingButTheFirstNewline() throws {
        let table = try parse(#"""
            a = '''
            first \n
              second'''
            b = ''''quoted''''
            """#)
        #expect(table == ["a": "first \\n\n  second", "b": "'quoted'"])
    }

    @Test func crlfLineEndings_readAsLineFeeds() throws {
        #expect(try parse("a = \"\"\"\r\nx\r\ny\"\"\"\r\n[t]\r\nb = [\r\n 1,\r\n]\r\n") == ["a": "x\ny", "t": ["b": [1]]])
    }

    @Test func integers_decimalHexOctalBinary() throws {
        let table = try parse("""
            a = +99
            b = -17
            c = 0
            d = 1_000_000
            e = 0xDEAD_beef
            f = 0o755
            g = 0b1101_0110
            max = 9223372036854775807
            min = -9223372036854775808
            hexmax = 0x7FFFFFFFFFFFFFFF
            zero = -0
            """)
        #expect(table == ["a": 99, "b": -17, "c": 0, "d": 1_000_000, "e": 0xDEAD_BEEF, "f": 0o755, "g": 0b1101_0110,
                          "max": .integer(Int.max), "min": .integer(Int.min), "hexmax": .integer(Int.max), "zero": 0])
    }

    @Test func floats_fractionsExponentsAndSpecialValues() throws {
        let table = try parse("""
            a = +1.0
            b = 3.1415
            c = -0.01
            d = 5e+22
            e = 1e06
            f = -2E-2
            g = 6.626e-34
            h = 224_617.445_991_228
            i = inf
            j = -inf
            k = +inf
            l = 1e400
            m = -0.0
            """)
        #expect(table == ["a": 1.0, "b": 3.1415, "c": -0.01, "d": 5e22, "e": 1e6, "f": -2e-2, "g": 6.626e-34,
                          "h": 224_617.445_991_228, "i": .float(.infinity), "j": .float(-.infinity), "k": .float(.infinity),
                          "l": .float(.infinity), "m": -0.0])
        #expect(table["m"]?.float?.sign == .minus)
        for text in ["nan", "+nan", "-nan"] {
            #expect(try parse("n = \(text)")["n"]?.float?.isNaN == true)
        }
    }

    @Test func booleans() throws {
        #expect(try parse("t = true\nf = false") == ["t": true, "f": false])
    }

    @Test func dateTimes_keepTheirText_andNameTheirKind() throws {
        let lines = [
            "1979-05-27T07:32:00Z", "1979-05-27T00:32:00.999999-07:00", "1979-05-27 07:32:00z", "1979-05-27t07:32:00",
            "1979-05-27", "00:32:00.999999", "2016-12-31T23:59:60Z", "2024-02-29", "2000-02-29T00:00:00.123456789+05:30",
        ]
        let table = try parse(lines.enumerated().map { "d\($0.offset) = \($0.element)" }.joined(separator: "\n"))
        #expect(table.keys.map { table[$0] } == lines.map { .datetime($0) })
        #expect(table["d0"]?.kind == "a date-time")
        #expect(table["d4"]?.kind == "a date")
        #expect(table["d5"]?.kind == "a time")
    }

    @Test func arrays_mixedNestedMultilineWithCommentsAndTrailingComma() throws {
        let table = try parse("""
            a = [ 1, 2.5, "x", true, [1, [2]], { k = "v" }, 1979-05-27 ]
            b = [
              1, # one
              2,
              # a comment line
            ]
            c = []
            d = [ ]
            e = [[], [[]]]
            """)
        #expect(table == [
            "a": [1, 2.5, "x", true, [1, [2]], ["k": "v"], .datetime("1979-05-27")],
            "b": [1, 2], "c": [], "d": [], "e": [[], [[]]],
        ])
    }

    @Test func inlineTables_nestedAndWithDottedKeys() throws {
        let table = try parse("""
            name = { first = "Tom", last = "Preston-Werner" }
            animal = { type.name = "pug", type.size = 1 }
            empty = {}
            nested = { a = { b = [ { c = 1 } ] } }
            """)
        #expect(table == [
            "name": ["first": "Tom", "last": "Preston-Werner"], "animal": ["type": ["name": "pug", "size": 1]],
            "empty": [:], "nested": ["a": ["b": [["c": 1]]]],
        ])
    }

    @Test func tables_quotedHeaders_andASuperTableDefinedAfterwards() throws {
        let table = try parse("""
            [a.b.c]
            x = 1
            [ d . "e.f" . 'g' ]
            [a] # defining a super-table afterwards is fine
            y = 2
            """)
        #expect(table == ["a": ["b": ["c": ["x": 1]], "y": 2], "d": ["e.f": ["g": [:]]]])
    }

    @Test func arraysOfTables_subTablesGoIntoTheLastOne() throws {
        let table = try parse("""
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits.varieties]]
            name = "granny smith"
            [[fruits]]
            name = "banana"
            [[fruits.varieties]]
            name = "plantain"
            [[empty]]
            """)
        #expect(table == [
            "fruits": [
                ["name": "apple", "physical": ["color": "red"], "varieties": [["name": "red delicious"], ["name": "granny smith"]]],
                ["name": "banana", "varieties": [["name": "plantain"]]],
            ],
            "empty": [[:]],
        ])
    }

    @Test func dottedKeys_defineTables_thatTakeSubTablesButNotHeaders() throws {
        let table = try parse("""
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]
            smooth = true
            [[list]]
            x.y = 1
            [[list]]
            x.y = 2
            """)
        #expect(table == [
            "fruit": ["apple": ["color": "red", "taste": ["sweet": true], "texture": ["smooth": true]]],
            "list": [["x": ["y": 1]], ["x": ["y": 2]]],
        ])
    }

    @Test func byteOrderMark_atTheStart_isSkipped() throws {
        #expect(try TOMLParser.parse([0xEF, 0xBB, 0xBF] + Array("a = 1".utf8)) == ["a": 1])
        #expect(throws: TOMLError(line: 1, column: 2, message: "expected a key after \"[\", found \"#\"")) {
            try TOMLParser.parse([0xEF, 0xBB, 0xBF] + Array("[#".utf8))
        }
    }
}

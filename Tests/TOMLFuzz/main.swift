// The Swift side of scripts/fuzz-toml, which compares TOMLParser with Python's tomllib.
// Not a SwiftPM target: the script compiles it with swiftc together with
// Sources/LTFUConfig/TOML/*.swift.
//
// Input on stdin: documents framed as "<byte count>\n<bytes>", one after another.
// Output: one line per document, "ok <json>" or "error <json string>". Values are tagged as
// in toml-test ({"type": "integer", "value": "1"}), so floats and date-times keep their text
// and tables keep their key order.
import Foundation

func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
            out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

func json(_ value: TOMLValue) -> String {
    func tagged(_ type: String, _ text: String) -> String { "{\"type\":\"\(type)\",\"value\":\(quoted(text))}" }
    switch value {
    case .string(let text): return tagged("string", text)
    case .integer(let number): return tagged("integer", String(number))
    case .float(let number): return tagged("float", number.description)
    case .bool(let flag): return tagged("bool", flag ? "true" : "false")
    case .datetime(let text): return tagged("datetime", text)
    case .array(let elements): return "[" + elements.map(json).joined(separator: ",") + "]"
    case .table(let table): return json(table)
    }
}

func json(_ table: TOMLTable) -> String {
    "{" + table.keys.map { quoted($0) + ":" + json(table[$0] ?? .array([])) }.joined(separator: ",") + "}"
}

let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
var position = 0
var output = ""
while position < input.count {
    guard let newline = input[position...].firstIndex(of: 0x0A),
          let count = Int(String(decoding: input[position..<newline], as: UTF8.self)),
          newline + 1 + count <= input.count
    else { break }
    let document = Array(input[(newline + 1)..<(newline + 1 + count)])
    position = newline + 1 + count
    do {
        output += "ok " + json(try TOMLParser.parse(document)) + "\n"
    } catch {
        output += "error " + quoted(error.description) + "\n"
    }
    if output.utf8.count > 1 << 16 {
        FileHandle.standardOutput.write(Data(output.utf8))
        output = ""
    }
}
FileHandle.standardOutput.write(Data(output.utf8))

import LTFUWire
import Testing

/// Issue #13: a key given twice in one JSON object is found; nothing else is.
@Suite struct DuplicateKeysTests {
    func first(_ json: String) -> String? { DuplicateKeys.first(in: Array(json.utf8)) }

    @Test func aRepeatedKey_isFound_onlyWithinOneObject() {
        #expect(first(#"{"on":"2025-01-01","on":"2025-02-01"}"#) == "on")
        #expect(first(#"{"a":{"b":1,"b":2}}"#) == "b")
        #expect(first(#"{"a":1, "b":[{"a":1},{"a":2}], "c":{"a":3}}"#) == nil, "the same key in other objects")
        #expect(first(#"{"note":"on, on","on":"2025-01-01"}"#) == nil, "keys inside string values do not count")
        #expect(first(#"{"note":"say \"on\"","on":1}"#) == nil, "escaped quotes")
        #expect(first(#"{"a\"b":1,"a\"b":2}"#) == #"a\"b"#)
        #expect(first(#"{"infused":["2025-01-10","2025-01-10"]}"#) == nil, "array values are not keys")
        #expect(first(#"{"a":1,"#) == nil, "malformed JSON is the decoder's to refuse")
        #expect(first("") == nil)
    }
}

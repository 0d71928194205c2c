import LTFUCore
import LTFUL10n
import Testing

/// Issue #22: an error keeps its English as it always read and renders in Chinese on request,
/// its values filled in and its code, kind and machine values untouched.
@Suite struct ErrorMessageTests {
    static func hasChinese(_ text: String) -> Bool { text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }

    @Test func message_isTheEnglishFilledIn_andChineseOnRequest() {
        let error = LTFUError(.notFound, code: "unknown-subject", "no subject `{subject}` is enrolled", ["subject": "S01-0042"])
        #expect(error.message == "no subject `S01-0042` is enrolled")
        #expect(error.description == error.message)
        #expect(error.message(in: .english) == error.message)
        let chinese = error.message(in: .chinese)
        #expect(Self.hasChinese(chinese), "\(chinese)")
        #expect(chinese.contains("`S01-0042`"), "the subject code stays as it is: \(chinese)")
        #expect(!chinese.contains("{subject}"))
        #expect(error.code == "unknown-subject" && error.kind == .notFound)
    }

    @Test func aRealRefusal_readsAsBefore_andItsFieldNameIsTranslatedToo() {
        #expect(throws: LTFUError.self) { try CalendarDate(parsing: "2023-02-29", what: .phrase("infusion date")) }
        do {
            _ = try CalendarDate(parsing: "2023-02-29", what: .phrase("infusion date"))
        } catch {
            #expect(error.message == "infusion date `2023-02-29` is not a date: day must be 01 to 28 in that month (2023 is not a leap year)")
            let chinese = error.message(in: .chinese)
            #expect(chinese.contains("回输日期") && chinese.contains("`2023-02-29`") && chinese.contains("2023") && chinese.contains("28"), "\(chinese)")
            #expect(error.code == "invalid-date")
        }
    }

    @Test func aNestedError_isRenderedInTheSameLanguage() {
        let traits = ProductTraits(modification: .none, exogenousGeneExpression: true, altersSurvivalOrDifferentiation: false)
        guard case .failure(let refusal) = TierClassification.decide(traits) else {
            Issue.record("modification none with expression is refused")
            return
        }
        let english = refusal.error.message
        #expect(english.hasPrefix("modification `none` with exogenous_gene_expression = true is contradictory"))
        #expect(english.hasSuffix(". Correct the product's traits, or set `tier` explicitly with a `justification` in the product file"))
        let chinese = refusal.error.message(in: .chinese)
        #expect(!chinese.contains("contradictory") && !chinese.contains("Correct the product"), "both parts in Chinese: \(chinese)")
        #expect(chinese.contains("`none`") && chinese.contains("`tier`") && chinese.contains("`justification`"), "\(chinese)")
    }

    @Test func plurals_keepTheirEnglish_andAVerbatimMessageIsShownAsItIs() {
        let one = RetentionRule().refusal(failedSinceLastContact: 1, code: "S01-001").message
        let two = RetentionRule().refusal(failedSinceLastContact: 2, code: "S01-001").message
        #expect(one.contains(", and 1 is recorded. ") && two.contains(", and 2 are recorded. "))
        let answer = LTFUError(.notFound, code: "unknown-subject", verbatim: "没有已入组的受试者 `X`")
        #expect(answer.message(in: .english) == "没有已入组的受试者 `X`" && answer.message(in: .chinese) == answer.message)
        #expect(LTFUError(.data, code: "c", "a {x}", ["x": 1]) == LTFUError(.data, code: "c", "a {x}", ["x": 1]))
    }
}

import ArgumentParser
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl enroll`: enrolls a treated subject; the daemon plans its calendar.
    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enroll",
            abstract: tr("Enroll a treated subject."),
            discussion: tr("The birth date is optional but needed for the pediatric rule; it never leaves the database."))

        @Argument(help: ArgumentHelp(tr("The subject's pseudonymous code, e.g. S01-0042.")))
        var code: String

        @Option(help: ArgumentHelp(tr("The product id, from products.d."), valueName: "id"))
        var product: String

        @Option(name: .customLong("infused"), parsing: .upToNextOption,
                help: ArgumentHelp(tr("Infusion date(s), YYYY-MM-DD."), valueName: "date"))
        var infusions: [String] = []

        @Option(help: ArgumentHelp(tr("Birth date, YYYY-MM-DD; `-` reads it from standard input."), valueName: "date"))
        var born: String?

        @Option(help: ArgumentHelp(tr("The date of the consent given at enrollment, YYYY-MM-DD (with --consent-by)."), valueName: "date"))
        var consentOn: String?

        @Option(help: ArgumentHelp(tr("Who gave it: {choices} (with --consent-on).", ["choices": ConsentGiver.choices]), valueName: "giver"))
        var consentBy: ConsentGiver?

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard !infusions.isEmpty else { throw ValidationError(tr("give at least one --infused date")) }
            guard (consentOn == nil) == (consentBy == nil) else { throw ValidationError(tr("give --consent-on and --consent-by together")) }
        }

        func run() async throws {
            try await Ctl.reporting {
                let request = EnrollRequest(code: code, product: product, infused: infusions, born: try PrivateText.read(born, what: .phrase("birth date")),
                                            consentOn: consentOn, consentBy: consentBy?.rawValue)
                try await global.write(subject: code, enrolling: true, { try await global.client.post(APIPath.subjects, request) }) {
                    tr("Enrolled {subject}.", ["subject": $0.subject.code])
                }
            }
        }
    }

    /// `ltfuctl infuse`: another infusion re-anchors day 0.
    struct Infuse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "infuse",
            abstract: tr("Record another infusion: visits not yet done are replaced by a new calendar from this day 0."))

        @Argument(help: ArgumentHelp(tr("The subject's code."))) var code: String
        @Option(help: ArgumentHelp(tr("The infusion date, YYYY-MM-DD."), valueName: "date")) var on: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                try await global.write(subject: code, { try await global.client.post(APIPath.infusions(try pathSegment(code)), InfuseRequest(on: on)) }) {
                    tr("Recorded the infusion; day 0 is now {date}.", ["date": $0.subject.dayZero?.description ?? "?"])
                }
            }
        }
    }
}

/// A subject or visit code checked before it goes into a URL path, so no input can reach
/// another route.
func pathSegment(_ text: String) throws(LTFUError) -> String {
    guard LTFUCore.Identifier.isValid(text) else {
        throw LTFUError(.data, code: "invalid-code", "`{code}` is not a valid code: 1 to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit",
                        ["code": text])
    }
    return text
}

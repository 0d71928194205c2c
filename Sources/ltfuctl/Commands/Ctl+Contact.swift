import ArgumentParser
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl contact`: an attempt to reach a subject (SPEC §11).
    struct Contact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "contact",
            abstract: "Record an attempt to reach a subject; reached on a remote visit records that visit done.",
            discussion: "Only what was tried and when is kept, never contact details. Failed attempts are the evidence the retention rule asks for before a subject may be ended as lost to follow-up.")

        @Argument(help: "The subject's code.") var code: String
        @Option(help: ArgumentHelp("The date of the attempt, YYYY-MM-DD.", valueName: "date")) var on: String
        @Option(help: ArgumentHelp("How: \(ContactMethod.choices).", valueName: "method")) var by: ContactMethod
        @Option(help: ArgumentHelp("What came of it: \(ContactOutcome.choices).", valueName: "outcome")) var outcome: ContactOutcome
        @Option(help: ArgumentHelp("The open visit it was about, e.g. M72.", valueName: "visit")) var visit: String?
        @Option(help: ArgumentHelp("A short note (kept in the database only); `-` reads it from standard input.", valueName: "text")) var note: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let shown: ShowResponse = try await global.client.post(
                    APIPath.contacts(try pathSegment(code)),
                    ContactRequest(on: on, by: by.rawValue, outcome: outcome.rawValue, visit: visit, note: try PrivateText.read(note, what: .phrase("note"))))
                if let visit, outcome == .reached, let open = shown.visits.last(where: { $0.code == visit }), open.status != .done {
                    Ctl.printError(open.purpose == .reConsent
                        ? "warning: visit \(visit) is the re-consent at majority; a contact does not record it, the subject's own consent does (`ltfuctl consent \(code) --on DATE --by subject`)."
                        : "warning: visit \(visit) is \(open.mode.rawValue), so a contact does not record it; it stays open. Record it with `ltfuctl record \(code) \(visit) --on DATE` once the subject is seen.")
                }
                try global.output(shown) { "Recorded the \(outcome.rawValue) contact by \(by.rawValue) with \(code) on \(on).\n\n" + SubjectRendering.render($0) }
            }
        }
    }

    /// `ltfuctl consent`: a consent or a minor's assent (SPEC §11).
    struct Consent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consent",
            abstract: "Record a consent; the subject's own consent at the age of majority completes the re-consent visit.",
            discussion: "A child consented by a guardian gets a re-consent visit on the birthday at [consent] age_of_majority. A consent by the subject before that birthday is a minor's assent and does not complete it.")

        @Argument(help: "The subject's code.") var code: String
        @Option(help: ArgumentHelp("The date of the consent, YYYY-MM-DD.", valueName: "date")) var on: String
        @Option(help: ArgumentHelp("Who consented: \(ConsentGiver.choices).", valueName: "giver")) var by: ConsentGiver
        @Option(help: ArgumentHelp("The consent form's version.", valueName: "version")) var form: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let shown: ShowResponse = try await global.client.post(
                    APIPath.consents(try pathSegment(code)), ConsentRequest(on: on, by: by.rawValue, form: form))
                try global.output(shown) { "Recorded the consent of \(code) by the \(by.rawValue) on \(on).\n\n" + SubjectRendering.render($0) }
            }
        }
    }
}

extension ContactMethod: ExpressibleByArgument {}
extension ContactOutcome: ExpressibleByArgument {}
extension ConsentGiver: ExpressibleByArgument {}

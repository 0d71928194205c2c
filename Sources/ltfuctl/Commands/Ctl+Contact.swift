import ArgumentParser
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl contact`: an attempt to reach a subject (SPEC §11).
    struct Contact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "contact",
            abstract: tr("Record an attempt to reach a subject; reached on a remote visit records that visit done."),
            discussion: tr("Only what was tried and when is kept, never contact details. Failed attempts are the evidence the retention rule asks for before a subject may be ended as lost to follow-up."))

        @Argument(help: ArgumentHelp(tr("The subject's code."))) var code: String
        @Option(help: ArgumentHelp(tr("The date of the attempt, YYYY-MM-DD."), valueName: "date")) var on: String
        @Option(help: ArgumentHelp(tr("How: {choices}.", ["choices": ContactMethod.choices]), valueName: "method")) var by: ContactMethod
        @Option(help: ArgumentHelp(tr("What came of it: {choices}.", ["choices": ContactOutcome.choices]), valueName: "outcome")) var outcome: ContactOutcome
        @Option(help: ArgumentHelp(tr("The open visit it was about, e.g. M72."), valueName: "visit")) var visit: String?
        @Option(help: ArgumentHelp(tr("A short note (kept in the database only); `-` reads it from standard input."), valueName: "text")) var note: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let request = ContactRequest(on: on, by: by.rawValue, outcome: outcome.rawValue, visit: visit, note: try PrivateText.read(note, what: .phrase("note")))
                try await global.write(subject: code, { () async throws -> ShowResponse in
                    let shown: ShowResponse = try await global.client.post(APIPath.contacts(try pathSegment(code)), request)
                    if let visit, outcome == .reached, let open = shown.visits.last(where: { $0.code == visit }), open.status != .done {
                        Ctl.printError(open.purpose == .reConsent
                            ? tr("warning: visit {visit} is the re-consent at majority; a contact does not record it, the subject's own consent does (`ltfuctl consent {subject} --on DATE --by subject`).", ["visit": visit, "subject": code])
                            : tr("warning: visit {visit} is {mode}, so a contact does not record it; it stays open. Record it with `ltfuctl record {subject} {visit} --on DATE` once the subject is seen.", ["visit": visit, "mode": open.mode.label(tr), "subject": code]))
                    }
                    return shown
                }) { _ in
                    tr("Recorded the {outcome} contact by {method} with {subject} on {date}.",
                       ["outcome": outcome.label(tr), "method": by.label(tr), "subject": code, "date": on])
                }
            }
        }
    }

    /// `ltfuctl consent`: a consent or a minor's assent (SPEC §11).
    struct Consent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consent",
            abstract: tr("Record a consent; the subject's own consent at the age of majority completes the re-consent visit."),
            discussion: tr("A child consented by a guardian gets a re-consent visit on the birthday at [consent] age_of_majority. A consent by the subject before that birthday is a minor's assent and does not complete it."))

        @Argument(help: ArgumentHelp(tr("The subject's code."))) var code: String
        @Option(help: ArgumentHelp(tr("The date of the consent, YYYY-MM-DD."), valueName: "date")) var on: String
        @Option(help: ArgumentHelp(tr("Who consented: {choices}.", ["choices": ConsentGiver.choices]), valueName: "giver")) var by: ConsentGiver
        @Option(help: ArgumentHelp(tr("The consent form's version."), valueName: "version")) var form: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                try await global.write(subject: code, {
                    try await global.client.post(APIPath.consents(try pathSegment(code)), ConsentRequest(on: on, by: by.rawValue, form: form))
                }) { _ in tr("Recorded the consent of {subject} by the {giver} on {date}.", ["subject": code, "giver": by.label(tr), "date": on]) }
            }
        }
    }
}

extension ContactMethod: ExpressibleByArgument {}
extension ContactOutcome: ExpressibleByArgument {}
extension ConsentGiver: ExpressibleByArgument {}

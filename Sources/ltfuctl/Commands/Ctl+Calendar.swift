import ArgumentParser
import Foundation
import LTFUCore
import LTFUWire

extension Ctl {
    /// `ltfuctl calendar`: the calendar feed (SPEC §12) on standard output.
    struct Calendar: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "calendar",
            abstract: tr("Print the visit calendar as iCalendar (RFC 5545), for a calendar app."),
            discussion: tr("One all-day event per open visit over its window, and per visit done, missed or cancelled in the last 90 days. ltfud keeps the same feed in /var/lib/ltfu/calendar/ltfu.ics. Example: ltfuctl calendar >ltfu.ics && khal import --batch ltfu.ics"))

        @Option(help: ArgumentHelp(tr("Only this subject's visits."), valueName: "code")) var subject: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Ctl.reporting {
                let query = try subject.map { [("subject", try pathSegment($0))] } ?? []
                let data = try await global.client.getData(APIPath.calendar, query: query)
                FileHandle.standardOutput.write(data)
            }
        }
    }
}

import Foundation
import LTFUCore
@testable import LTFUFormats
import LTFUWire
import Testing

/// The site report rendered from fixed wire data (SPEC §13): the quality figures and the
/// timeline's positions against hand-computed values, and nothing private on any page.
@Suite struct SiteReportTests {
    /// A date literal; a bad one fails the test instead of turning into 1970-01-01 (issue #16).
    static func d(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> CalendarDate {
        do {
            return try CalendarDate(parsing: text)
        } catch {
            Issue.record("bad date literal \(text): \(error)", sourceLocation: sourceLocation)
            return CalendarDate(dayNumber: 0)
        }
    }

    static func visit(_ code: String, _ open: String, _ close: String, _ status: VisitStatus, done: String? = nil, deviation: Bool = false,
                      purpose: VisitPurpose? = nil, note: String? = nil, missReason: String? = nil) -> ShowResponse.Visit {
        ShowResponse.Visit(code: code, series: 1, target: d(open), windowOpen: d(open), windowClose: d(close), mode: .inPerson,
                           assessments: [.survival], status: status, doneOn: done.map { d($0) }, deviation: deviation, missReason: missReason,
                           note: note, purpose: purpose)
    }

    static func subject(_ code: String, product: String, visits: [ShowResponse.Visit]) -> ShowResponse {
        ShowResponse(subject: .init(code: code, product: product, tier: .integrating, tierOverride: false, dayZero: d("2020-01-01"),
                                    followUpEnds: d("2035-01-01"), infusions: [d("2020-01-01")], pediatric: false, ageKnown: true,
                                    status: .active, endReason: nil, endedOn: nil, lastContact: d("2024-06-01")),
                     visits: visits)
    }

    /// Today 2024-07-01. Year 1: five closed windows of product A (two in window, one late,
    /// one missed, one still open), one cancelled (left out) and one not yet closed (left out);
    /// year 2: one of product B, done in window.
    static let subjects = [
        subject("S-1", product: "A", visits: [
            visit("M1", "2020-01-25", "2020-02-08", .done, done: "2020-02-01"),
            visit("M3", "2020-03-18", "2020-04-15", .done, done: "2020-04-01"),
            visit("M6", "2020-06-01", "2020-07-31", .done, done: "2020-08-10", deviation: true),
            visit("M12", "2020-12-02", "2021-03-01", .missed, missReason: "PRIVATE-REASON"),
        ]),
        subject("S-2", product: "A", visits: [
            visit("M1", "2020-01-25", "2020-02-08", .overdue),
            visit("M3", "2020-03-18", "2020-04-15", .cancelled),
            visit("M12", "2024-06-15", "2024-08-30", .due, note: "PRIVATE-NOTE"),
        ]),
        subject("S-3", product: "B", visits: [visit("M24", "2021-12-02", "2022-03-01", .done, done: "2022-01-01")]),
    ]

    @Test func quality_countsClosedWindowsByYearAndProduct_inPercent() {
        let table = QualityTable(subjects: Self.subjects, today: Self.d("2024-07-01"))
        #expect(table.rows.map { "\($0.year) \($0.product) \($0.inWindow)/\($0.late)/\($0.early)/\($0.missed)/\($0.open)" } == [
            "1 A 2/1/0/1/1", "2 B 1/0/0/0/0",
        ])
        let first = table.rows[0]
        #expect([first.percent(first.inWindow), first.percent(first.late), first.percent(first.missed), first.percent(first.open)]
                    == [40.0, 20.0, 20.0, 20.0])
        #expect(table.rows[1].percent(1) == 100.0)
        #expect(QualityTable.Row(year: 1, product: "X").percent(0) == 0)
    }

    @Test func timeline_placesDatesByDay_hundredsOfDaysToTheDrawing() {
        // 2020-01-01 to 2021-01-01 is 366 days over 900 px (960 − 40 − 20).
        let line = Timeline(start: Self.d("2020-01-01"), end: Self.d("2021-01-01"))
        #expect(line.x(Self.d("2020-01-01")) == 40)
        #expect(line.x(Self.d("2021-01-01")) == 940)
        #expect(abs(line.x(Self.d("2020-07-02")) - (40 + 183.0 / 366 * 900)) < 1e-9)   // 490
        let bar = line.bar(VisitWindow(open: Self.d("2020-01-01"), close: Self.d("2020-01-01")))
        #expect(bar.x == 40)
        #expect(abs(bar.width - 900.0 / 366) < 1e-9, "one day wide")
        #expect(line.yearTicks.map(\.year) == [0, 1])
        #expect(line.yearTicks.map(\.x) == [40, 940])
    }

    @Test func pages_holdTheFigures_linksAndShapes_butNoNoteOrReason() throws {
        let status = StatusResponse(version: "0", uptimeSeconds: 1, site: "S01", timezone: "Asia/Shanghai", today: Self.d("2024-07-01"),
                                    subjects: 3, due: 1, overdue: 1, nextNotification: nil)
        let overdue = [VisitDue(subject: "S-2", visit: "M1", target: Self.d("2020-02-01"), windowOpen: Self.d("2020-01-25"),
                                windowClose: Self.d("2020-02-08"), status: .overdue)]
        let input = ReportInput(status: status, signals: [], overdue: overdue, due: [], subjects: [],
                                retentionRisks: [], generatedAt: "2024-07-01 10:00")
        let files = SiteReport.render(input, shown: Self.subjects)
        #expect(Set(files.keys) == Self.sectionPages.union(["report.css", "index.html", "subjects/S-1.html", "subjects/S-2.html", "subjects/S-3.html"]))
        let index = try #require(files["index.html"])
        #expect(index.contains("<a href=\"subjects/S-2.html\">S-2</a>"))
        #expect(index.contains("<td>1605</td>"), "days overdue: 2020-02-08 to 2024-07-01")
        #expect(index.contains("40.0 % (2)"))
        #expect(!index.contains("<script"))
        let page = try #require(files["subjects/S-1.html"])
        #expect(page.contains("class=\"done-on\""), "a done visit is a diamond, not only a colour")
        #expect(page.contains(">×</text>"), "a missed visit is a cross")
        #expect(page.contains("href=\"../report.css\""))
        for (name, text) in files {
            #expect(!text.contains("PRIVATE-"), "\(name)")
            #expect(!text.contains("http://") && !text.contains("https://"), "\(name) loads nothing from the network")
        }
    }

    static let sectionPages: Set<String> = ["signals.html", "overdue.html", "due.html", "reconsent.html", "no-contact.html", "retention-risk.html"]

    /// 20,000 overdue visits: the index shows the 200 most urgent and links to the rest, and
    /// stays small; the list's own page holds every row its count says.
    @Test func aLongList_showsItsMostUrgentRowsOnTheIndex_andEveryRowOnItsOwnPage() throws {
        let today = Self.d("2024-07-01")
        let overdue = (0..<20_000).map { n in
            VisitDue(subject: String(format: "S-%05d", n), visit: "M1", target: today.adding(days: -30 - n % 400),
                     windowOpen: today.adding(days: -37 - n % 400), windowClose: today.adding(days: -23 - n % 400), status: .overdue)
        }
        let status = StatusResponse(version: "0", uptimeSeconds: 1, site: "S01", timezone: "Asia/Shanghai", today: today,
                                    subjects: 20_000, due: 0, overdue: 20_000, nextNotification: nil)
        let files = SiteReport.render(ReportInput(status: status, signals: [], overdue: overdue, due: [], subjects: [], retentionRisks: [],
                                                  generatedAt: "2024-07-01 10:00"), shown: [])
        let index = try #require(files["index.html"])
        #expect(index.utf8.count < 1_000_000, "\(index.utf8.count) bytes")
        #expect(index.contains("<h2 id=\"overdue\">Overdue visits (20000)</h2>"))
        #expect(index.contains("<p class=\"more\">The 200 most urgent of 20000. <a href=\"overdue.html\">All 20000</a></p>"))
        func rows(_ page: String) -> [String] {
            page.matches(of: /<tr><td><a href="subjects\/(S-\d{5})\.html">/).map { String($0.1) }
        }
        let mostUrgent = overdue.sorted { ($0.windowClose, $0.subject) < ($1.windowClose, $1.subject) }.map(\.subject)
        #expect(rows(index) == Array(mostUrgent.prefix(200)), "the longest overdue first")
        let page = try #require(files["overdue.html"])
        #expect(rows(page) == mostUrgent, "every row the count says, in the same order")
        #expect(page.contains("<h1>Overdue visits (20000)</h1>"))
        #expect(page.contains("<a href=\"index.html\">← site S01</a>"))
        #expect(files["due.html"]?.contains("Nothing due in the next 30 days.") == true)
    }
}


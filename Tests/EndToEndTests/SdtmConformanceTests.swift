import Foundation
import Testing

/// Issue #24: the export of ``SponsorScenario`` checked by tools no one here wrote: every file by
/// CDISC's Dataset-JSON 1.1 schema (Python's jsonschema), the folder by the CDISC CORE rules
/// engine (cdisc-rules-engine 0.17.1) with the SDTMIG 3.4 rules of `../shared/cdisc/core-cache`,
/// both run by `scripts/lib/cdisc-core-check`; and the codelist values CORE cannot check without
/// CDISC's controlled terminology, against SDTM CT here.
@Suite struct SdtmConformanceTests {
    /// What CORE reports on the scenario, each finding about a value ltfu does not hold and
    /// leaves to the sponsor (README "The sponsor's data set"), or a false positive of the rule
    /// itself. Any other finding fails the test, and so does one of these no longer reported.
    /// Key: rule; value: domain → the records, as `USUBJID SEQ` (`USUBJID` alone for DM).
    static func accepted(everyRecordOf domains: [String: [String]]) -> [String: [String: [String]]] {
        [
            // CG0042: with no seriousness criterion (AESDTH, AESHOSP, …) Y, AESER must be N. ltfu
            // records only a death's criterion, so every other event has AESER null: saying N
            // would deny a seriousness nobody has assessed (a "serious infection" among them),
            // and it is the sponsor's medical review (ICH E2A) that gives AESER and its criteria.
            // Every AE record but the death (A-1 2, AESDTH Y).
            "CORE-000266": ["AE": ["LTFU-01-S01-A-1 1", "LTFU-01-S01-B-2 1", "LTFU-01-S01-C-3 1", "LTFU-01-S01-C-3 2",
                                   "LTFU-01-S01-D-4 1", "LTFU-01-S01-D-4 2"]],
            // CG0601 and CG0603 are about findings-about (FA) records linked by RELREC; there are
            // none, and the rule then flags every record (cdisc-rules-engine issue #1845).
            "CORE-000766": ["AE": domains["AE"] ?? []],
            "CORE-000767": ["DS": domains["DS"] ?? []],
            // FDA FB0501: AGE for every subject; C-3's birth date is not on record.
            "CORE-001043": ["DM": ["LTFU-01-S01-C-3"]],
        ]
    }

    struct Report: Decodable {
        struct Issue: Decodable { var rule: String; var domain: String; var usubjid: String?; var seq: Int? }
        var rules: Int
        var ran: [String]
        var cannotRun: [String]
        var schemaProblems: [String]
        var failures: [String]
        var issues: [Issue]
    }

    @Test func export_passesTheDatasetJSONSchema_andCORE_butForWhatLtfuLeavesToTheSponsor() throws {
        let daemon = try DaemonHarness(today: SponsorScenario.today)
        try daemon.start()
        try SponsorScenario.enter(into: daemon)
        for includeText in [false, true] {
            let out = daemon.root.appendingPathComponent(includeText ? "with-text" : "plain")
            #expect(try SponsorScenario.export(daemon, to: out, includeText: includeText).status == 0)
            let json = daemon.root.appendingPathComponent("core-\(includeText).json")
            let checked = try BuiltBinaries.run(path: repositoryRoot.appendingPathComponent("scripts/lib/cdisc-core-check").path,
                                                [out.path, "--json", json.path])
            let report = try #require(try? JSONDecoder().decode(Report.self, from: Data(contentsOf: json)),
                                      "scripts/lib/cdisc-core-check did not report:\n\(checked.stdout)\(checked.stderr)")
            let summary = checked.stdout.split(separator: "\n").prefix(2).joined(separator: "\n")
            #expect(report.schemaProblems.isEmpty, "\(report.schemaProblems)")
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.rules == 430 && report.ran.count > 150, "\(summary)")
            var records: [String: [String]] = [:]
            for file in try FileManager.default.contentsOfDirectory(atPath: out.path) where file.hasSuffix(".json") {
                let (columns, rows) = try SponsorScenario.jsonRows(out.appendingPathComponent(file))
                let names = columns.compactMap { $0["name"] as? String }
                guard let subject = names.firstIndex(of: "USUBJID"), let seq = names.firstIndex(where: { $0.hasSuffix("SEQ") }) else { continue }
                records[file.dropLast(5).uppercased()] = rows.map { "\($0[subject]) \($0[seq])" }
            }
            var found: [String: [String: [String]]] = [:]
            for issue in report.issues {
                found[issue.rule, default: [:]][issue.domain, default: []].append([issue.usubjid, issue.seq.map(String.init)].compactMap { $0 }.joined(separator: " "))
            }
            let accepted = Self.accepted(everyRecordOf: records)
            #expect(found.mapValues { $0.mapValues { $0.sorted() } } == accepted.mapValues { $0.mapValues { $0.sorted() } },
                    "CORE's findings are not the accepted ones; \(summary)\n\(checked.stdout)")
            print("\(includeText ? "with" : "without") --include-text: \(summary)")
        }
        let plain = daemon.root.appendingPathComponent("plain")
        try Self.checkCodelists(plain)
    }

    /// C99079 EPOCH: the three of its terms ltfu derives (the codelist has more, e.g. RUN-IN).
    static let epochs: Set<String> = ["SCREENING", "TREATMENT", "FOLLOW-UP"]

    /// SDTM CT terms for the variables ltfu fills from a codelist (CDISC CT, SDTM package).
    static let codelists: [String: [String: Set<String>]] = [
        "DM": ["SEX": ["F", "M", "U", "INTERSEX"],  // C66731 SEX
               "AGEU": ["YEARS", "MONTHS", "WEEKS", "DAYS", "HOURS"],  // C66781 AGEU
               "DTHFL": ["Y"]],  // C66742 NY, Y or null
        "DS": ["DSCAT": ["DISPOSITION EVENT", "PROTOCOL MILESTONE", "OTHER EVENT"],  // C74558 DSCAT
               "EPOCH": epochs],
        "AE": ["AESER": ["Y", "N"], "AESDTH": ["Y", "N"],  // C66742 NY
               "EPOCH": epochs,
               "AEOUT": ["FATAL", "NOT RECOVERED/NOT RESOLVED", "RECOVERED/RESOLVED", "RECOVERED/RESOLVED WITH SEQUELAE",
                         "RECOVERING/RESOLVING", "UNKNOWN"],  // C66768 OUT
               // No CDISC codelist: ICH E2B's causality terms.
               "AEREL": ["RELATED", "NOT RELATED"]],
        "EX": ["EPOCH": epochs],
        "SV": ["SVPRESP": ["Y"], "SVOCCUR": ["Y", "N"],  // C66742 NY
               "SVCNTMOD": ["IN PERSON", "TELEPHONE CALL", "VIDEO CALL"]],  // C171445 CNTMODE
    ]
    /// DSDECOD by DSCAT: C114118 PROTMLST for milestones, C66727 NCOMPLT for disposition events.
    static let dispositionTerms: [String: Set<String>] = [
        "PROTOCOL MILESTONE": ["INFORMED CONSENT OBTAINED"],
        "DISPOSITION EVENT": ["ADVERSE EVENT", "COMPLETED", "DEATH", "LOST TO FOLLOW-UP", "OTHER", "PHYSICIAN DECISION",
                              "PROTOCOL DEVIATION", "WITHDRAWAL BY SUBJECT", "WITHDRAWAL BY PARENT/GUARDIAN"],
    ]

    static func checkCodelists(_ folder: URL) throws {
        func table(_ domain: String) throws -> [[String: String]] {
            let (columns, rows) = try SponsorScenario.jsonRows(folder.appendingPathComponent("\(domain.lowercased()).json"))
            let names = columns.compactMap { $0["name"] as? String }
            return rows.map { Dictionary(uniqueKeysWithValues: zip(names, $0)) }
        }
        for (domain, variables) in codelists {
            for row in try table(domain) {
                #expect(row["DOMAIN"] == domain)
                for (variable, terms) in variables {
                    let value = try #require(row[variable], "\(domain).\(variable) is missing")
                    #expect(value.isEmpty || terms.contains(value), "\(domain).\(variable) `\(value)` is not in its codelist")
                }
            }
        }
        for row in try table("DS") {
            let terms = try #require(dispositionTerms[row["DSCAT"] ?? ""])
            #expect(terms.contains(row["DSDECOD"] ?? ""), "DSDECOD `\(row["DSDECOD"] ?? "")` for \(row["DSCAT"] ?? "")")
        }
        // COUNTRY is ISO 3166-1 alpha-3, as Debian's iso-codes lists it.
        let iso = try String(contentsOfFile: "/usr/share/iso-codes/json/iso_3166-1.json", encoding: .utf8)
        for row in try table("DM") {
            #expect(iso.contains("\"alpha_3\": \"\(row["COUNTRY"] ?? "")\""), "COUNTRY \(row["COUNTRY"] ?? "")")
        }
    }
}

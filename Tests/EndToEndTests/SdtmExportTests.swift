import Foundation
import Testing

/// Issue #24, SPEC §14: the sponsor's data set of ``SponsorScenario`` through the real binaries,
/// each domain against rows written out here by hand. Study days are (date − first infusion) + 1
/// from Day 1 on, and (date − first infusion) before it: there is no Day 0 (SDTMIG 3.4 §4.4.4).
@Suite struct SdtmExportTests {
    static let dm = [
        "STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,RFENDTC,RFXSTDTC,RFXENDTC,RFICDTC,RFPENDTC,DTHDTC,DTHFL,SITEID,AGE,AGEU,SEX,RACE,ARMCD,ARM,ACTARMCD,ACTARM,ARMNRS,ACTARMUD,COUNTRY",
        // Born 1980-05-20, first infusion 2027-01-15: 46, the birthday of 2027 not yet come. Died 2028-03-10.
        "LTFU-01,DM,LTFU-01-S01-A-1,A-1,2027-01-15,2027-01-15,2027-01-15,2027-01-15,2027-01-10,2028-03-10,2028-03-10,Y,S01,46,YEARS,U,,CD19-CART,Anti-CD19 CAR-T (lentiviral),CD19-CART,Anti-CD19 CAR-T (lentiviral),,,CHN",
        // Re-infused 2027-06-10: the reference and treatment periods end on the latest infusion. 12 at 2027-03-05.
        "LTFU-01,DM,LTFU-01-S01-B-2,B-2,2027-03-05,2027-06-10,2027-03-05,2027-06-10,2027-03-01,2028-02-01,,,S01,12,YEARS,U,,CD19-CART,Anti-CD19 CAR-T (lentiviral),CD19-CART,Anti-CD19 CAR-T (lentiviral),,,CHN",
        // No birth date: no AGE, no AGEU.
        "LTFU-01,DM,LTFU-01-S01-C-3,C-3,2027-04-02,2027-04-02,2027-04-02,2027-04-02,2027-04-01,2028-05-01,,,S01,,,U,,MSLN-CARNK-MRNA,Anti-mesothelin CAR-NK (mRNA),MSLN-CARNK-MRNA,Anti-mesothelin CAR-NK (mRNA),,,CHN",
        "LTFU-01,DM,LTFU-01-S01-D-4,D-4,2027-05-03,2027-05-03,2027-05-03,2027-05-03,2027-05-01,2027-10-01,,,S01,36,YEARS,U,,CIK-AUTO,Autologous CIK cells,CIK-AUTO,Autologous CIK cells,,,CHN",
        // Active: no end of participation. 1975-12-31 → 2028-01-05: 52.
        "LTFU-01,DM,LTFU-01-S01-E-5,E-5,2028-01-05,2028-01-05,2028-01-05,2028-01-05,2028-01-02,,,,S01,52,YEARS,U,,CD19-CART,Anti-CD19 CAR-T (lentiviral),CD19-CART,Anti-CD19 CAR-T (lentiviral),,,CHN",
    ]

    /// Keyed by USUBJID, DSDECOD, DSSTDTC: DEATH sorts before INFORMED CONSENT OBTAINED. EPOCH by
    /// DSSTDTC: a consent before Day 1 is SCREENING; every later record FOLLOW-UP (none falls on
    /// an infusion day).
    static let ds = [
        "STUDYID,DOMAIN,USUBJID,DSSEQ,DSTERM,DSDECOD,DSCAT,EPOCH,DSSTDTC,DSSTDY",
        // 2028-03-10 − 2027-01-15 = 420 days → Day 421; consent 5 days before the infusion → Day -5.
        "LTFU-01,DS,LTFU-01-S01-A-1,1,DEATH,DEATH,DISPOSITION EVENT,FOLLOW-UP,2028-03-10,421",
        "LTFU-01,DS,LTFU-01-S01-A-1,2,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,SCREENING,2027-01-10,-5",
        "LTFU-01,DS,LTFU-01-S01-B-2,1,INFORMED CONSENT OBTAINED FROM GUARDIAN,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,SCREENING,2027-03-01,-4",
        // 2028-01-10 − 2027-03-05 = 311 → Day 312; 2028-02-01: 333 → Day 334. The consent at
        // majority comes after the infusions (2027-03-05, 2027-06-10): FOLLOW-UP.
        "LTFU-01,DS,LTFU-01-S01-B-2,2,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,FOLLOW-UP,2028-01-10,312",
        "LTFU-01,DS,LTFU-01-S01-B-2,3,WITHDRAWAL BY SUBJECT,WITHDRAWAL BY SUBJECT,DISPOSITION EVENT,FOLLOW-UP,2028-02-01,334",
        "LTFU-01,DS,LTFU-01-S01-C-3,1,INFORMED CONSENT OBTAINED FROM GUARDIAN,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,SCREENING,2027-04-01,-1",
        // 2028-05-01 − 2027-04-02 = 395 → Day 396.
        "LTFU-01,DS,LTFU-01-S01-C-3,2,LOST TO FOLLOW-UP,LOST TO FOLLOW-UP,DISPOSITION EVENT,FOLLOW-UP,2028-05-01,396",
        "LTFU-01,DS,LTFU-01-S01-D-4,1,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,SCREENING,2027-05-01,-2",
        // A transfer is OTHER with what happened in DSTERM. 2027-10-01 − 2027-05-03 = 151 → Day 152.
        "LTFU-01,DS,LTFU-01-S01-D-4,2,TRANSFERRED TO ANOTHER SITE,OTHER,DISPOSITION EVENT,FOLLOW-UP,2027-10-01,152",
        "LTFU-01,DS,LTFU-01-S01-E-5,1,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,SCREENING,2028-01-02,-3",
    ]

    /// MedDRA's eleven variables (AELLT … AESOCCD) stay null: the sponsor codes the terms. Every
    /// event starts after its subject's first infusion and on no infusion day: EPOCH FOLLOW-UP.
    static let ae = [
        "STUDYID,DOMAIN,USUBJID,AESEQ,AETERM,AELLT,AELLTCD,AEDECOD,AEPTCD,AEHLT,AEHLTCD,AEHLGT,AEHLGTCD,AECAT,AEBODSYS,AEBDSYCD,AESOC,AESOCCD,AESER,AEACN,AEREL,AEOUT,AESDTH,EPOCH,AESTDTC,AEENDTC,AESTDY,AEENDY",
        // 2027-09-01 − 2027-01-15 = 229 → Day 230. Related unknown: AEREL null.
        "LTFU-01,AE,LTFU-01-S01-A-1,1,NEW MALIGNANCY,,,,,,,,,DELAYED ADVERSE EVENT,,,,,,,,,,FOLLOW-UP,2027-09-01,,230,",
        // The death: serious because it resulted in death (AESDTH Y), fatal, ends the day it began (DM's DTHDTC).
        "LTFU-01,AE,LTFU-01-S01-A-1,2,DEATH,,,,,,,,,DELAYED ADVERSE EVENT,,,,,Y,,RELATED,FATAL,Y,FOLLOW-UP,2028-03-10,2028-03-10,421,421",
        // 2027-08-01 − 2027-03-05 = 149 → Day 150, after the re-infusion of 2027-06-10.
        "LTFU-01,AE,LTFU-01-S01-B-2,1,HEMATOLOGIC DISORDER,,,,,,,,,DELAYED ADVERSE EVENT,,,,,,,NOT RELATED,,,FOLLOW-UP,2027-08-01,,150,",
        // 2027-06-01 − 2027-04-02 = 60 → Day 61; 2027-07-01: 90 → Day 91.
        "LTFU-01,AE,LTFU-01-S01-C-3,1,AUTOIMMUNE DISORDER,,,,,,,,,DELAYED ADVERSE EVENT,,,,,,,,,,FOLLOW-UP,2027-06-01,,61,",
        "LTFU-01,AE,LTFU-01-S01-C-3,2,NEUROLOGIC DISORDER,,,,,,,,,DELAYED ADVERSE EVENT,,,,,,,RELATED,,,FOLLOW-UP,2027-07-01,,91,",
        // No seriousness criterion on record, so AESER null though the kind is in AETERM: the
        // sponsor's medical review says whether and why. 2027-06-20 − 2027-05-03 = 48 → Day 49; 2027-07-15: 73 → Day 74.
        "LTFU-01,AE,LTFU-01-S01-D-4,1,SERIOUS INFECTION,,,,,,,,,DELAYED ADVERSE EVENT,,,,,,,NOT RELATED,,,FOLLOW-UP,2027-06-20,,49,",
        "LTFU-01,AE,LTFU-01-S01-D-4,2,OTHER SERIOUS ADVERSE EVENT,,,,,,,,,DELAYED ADVERSE EVENT,,,,,,,,,,FOLLOW-UP,2027-07-15,,74,",
    ]

    /// One row per infusion; dose, unit and form are the treating study's. An infusion day is
    /// TREATMENT, the re-infusion's too.
    static let ex = [
        "STUDYID,DOMAIN,USUBJID,EXSEQ,EXTRT,EXDOSE,EXDOSU,EXDOSFRM,EPOCH,EXSTDTC,EXENDTC,EXSTDY,EXENDY",
        "LTFU-01,EX,LTFU-01-S01-A-1,1,Anti-CD19 CAR-T (lentiviral),,,,TREATMENT,2027-01-15,2027-01-15,1,1",
        "LTFU-01,EX,LTFU-01-S01-B-2,1,Anti-CD19 CAR-T (lentiviral),,,,TREATMENT,2027-03-05,2027-03-05,1,1",
        // 2027-06-10 − 2027-03-05 = 97 → Day 98.
        "LTFU-01,EX,LTFU-01-S01-B-2,2,Anti-CD19 CAR-T (lentiviral),,,,TREATMENT,2027-06-10,2027-06-10,98,98",
        "LTFU-01,EX,LTFU-01-S01-C-3,1,Anti-mesothelin CAR-NK (mRNA),,,,TREATMENT,2027-04-02,2027-04-02,1,1",
        "LTFU-01,EX,LTFU-01-S01-D-4,1,Autologous CIK cells,,,,TREATMENT,2027-05-03,2027-05-03,1,1",
        "LTFU-01,EX,LTFU-01-S01-E-5,1,Anti-CD19 CAR-T (lentiviral),,,,TREATMENT,2028-01-05,2028-01-05,1,1",
    ]

    /// Targets are day 0 + n months (SPEC §4); VISITDY the target's study day, SVSTDY = SVENDY the
    /// done date's. A-1's U2 was missed and is not here: an unplanned visit is in SV once it happened.
    static let sv = [
        "STUDYID,DOMAIN,USUBJID,VISITNUM,VISIT,SVPRESP,SVOCCUR,SVREASOC,SVCNTMOD,VISITDY,SVSTDTC,SVENDTC,SVSTDY,SVENDY,SVUPDES",
        // Day 0 2027-01-15: M1 2027-02-15 (31 days → Day 32), M3 2027-04-15 (Day 91; done a day late, Day 92), M6 2027-07-15 (Day 182).
        "LTFU-01,SV,LTFU-01-S01-A-1,1,M1,Y,Y,,IN PERSON,32,2027-02-15,2027-02-15,32,32,",
        "LTFU-01,SV,LTFU-01-S01-A-1,3,M3,Y,Y,,IN PERSON,91,2027-04-16,2027-04-16,92,92,",
        "LTFU-01,SV,LTFU-01-S01-A-1,6,M6,Y,N,,IN PERSON,182,,,,,",
        // The unplanned RCL confirmation, 2027-04-29: 104 days → Day 105; no SVPRESP, SVOCCUR or VISITDY.
        "LTFU-01,SV,LTFU-01-S01-A-1,9001,U1,,,,IN PERSON,,2027-04-29,2027-04-29,105,105,rcl-confirmation",
        // Day 0 2027-03-05: M1 2027-04-05 (Day 32), done 04-06 (Day 33). Series 2 from 2027-06-10:
        // M1 2027-07-10, 127 days after the first infusion → Day 128; done 07-12 → Day 130.
        "LTFU-01,SV,LTFU-01-S01-B-2,1,M1,Y,Y,,IN PERSON,32,2027-04-06,2027-04-06,33,33,",
        "LTFU-01,SV,LTFU-01-S01-B-2,1001,M1 INFUSION 2,Y,Y,,IN PERSON,128,2027-07-12,2027-07-12,130,130,",
        // Day 0 2027-04-02: M1 2027-05-02 (30 days → Day 31), M3 2027-07-02 (Day 92).
        "LTFU-01,SV,LTFU-01-S01-C-3,1,M1,Y,Y,,IN PERSON,31,2027-05-02,2027-05-02,31,31,",
        "LTFU-01,SV,LTFU-01-S01-C-3,3,M3,Y,N,,IN PERSON,92,,,,,",
        // Day 0 2027-05-03: M1 2027-06-03 (Day 32), M3 2027-08-03 (Day 93).
        "LTFU-01,SV,LTFU-01-S01-D-4,1,M1,Y,Y,,IN PERSON,32,2027-06-03,2027-06-03,32,32,",
        "LTFU-01,SV,LTFU-01-S01-D-4,3,M3,Y,N,,IN PERSON,93,,,,,",
        // Day 0 2028-01-05: M1 2028-02-05 (Day 32), done 02-07 (Day 34); M3 2028-04-05 (91 days → Day 92).
        "LTFU-01,SV,LTFU-01-S01-E-5,1,M1,Y,Y,,IN PERSON,32,2028-02-07,2028-02-07,34,34,",
        "LTFU-01,SV,LTFU-01-S01-E-5,3,M3,Y,N,,IN PERSON,92,,,,,",
    ]

    static let domains = ["ae": ae, "dm": dm, "ds": ds, "ex": ex, "sv": sv]

    @Test func everyDomain_holdsTheRowsWorkedOutByHand_asCSVAndAsDatasetJSON() throws {
        let daemon = try DaemonHarness(today: SponsorScenario.today)
        try daemon.start()
        try SponsorScenario.enter(into: daemon)
        let out = daemon.root.appendingPathComponent("sdtm")
        let exported = try SponsorScenario.export(daemon, to: out)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout == "Wrote the SDTM data set of 5 subjects (AE 7, DM 5, DS 10, EX 6, SV 12) to \(out.path)\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["ae.csv", "ae.json", "dm.csv", "dm.json", "ds.csv", "ds.json", "ex.csv", "ex.json", "sv.csv", "sv.json"])
        for (name, lines) in Self.domains {
            let csv = try String(contentsOf: out.appendingPathComponent("\(name).csv"), encoding: .utf8)
            #expect(csv == lines.joined(separator: "\r\n") + "\r\n", "\(name).csv:\n\(csv)")
            let (columns, rows) = try SponsorScenario.jsonRows(out.appendingPathComponent("\(name).json"))
            #expect(columns.compactMap { $0["name"] as? String } == SponsorScenario.fields(lines[0]), "\(name).json columns")
            // EPOCH (AE, DS, EX): SDTMIG's label, character data as long as its longest term.
            for epoch in columns where epoch["name"] as? String == "EPOCH" {
                #expect(epoch["label"] as? String == "Epoch" && epoch["dataType"] as? String == "string" && epoch["length"] as? Int == 9,
                        "\(name).json EPOCH: \(epoch)")
            }
            #expect(rows == lines.dropFirst().map(SponsorScenario.fields), "\(name).json rows")
        }
        // Without --include-text: no miss reason, no note, no comments domain; never a birth date.
        for file in files {
            let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            for secret in SponsorScenario.reasons + SponsorScenario.notes + SponsorScenario.birthDates + ["BRTHDTC"] {
                #expect(!text.contains(secret), "\(file) holds `\(secret)`")
            }
        }
    }

    @Test func freeText_onlyWithIncludeText_andASecondExportIsTheSameBytes() throws {
        let daemon = try DaemonHarness(today: SponsorScenario.today)
        try daemon.start()
        try SponsorScenario.enter(into: daemon)
        let text = daemon.root.appendingPathComponent("with-text")
        #expect(try SponsorScenario.export(daemon, to: text, includeText: true).status == 0)
        // Notes are comments on their AE or SV record (CO); a miss reason is SV's own SVREASOC.
        #expect(try String(contentsOf: text.appendingPathComponent("co.csv"), encoding: .utf8) == [
            "STUDYID,DOMAIN,RDOMAIN,USUBJID,COSEQ,IDVAR,IDVARVAL,COVAL",
            "LTFU-01,CO,AE,LTFU-01-S01-A-1,1,AESEQ,1,T-cell lymphoma suspected",
            "LTFU-01,CO,AE,LTFU-01-S01-D-4,1,AESEQ,1,\"pneumonia, admitted\"",
            "LTFU-01,CO,SV,LTFU-01-S01-A-1,2,VISITNUM,9001,confirmation sample drawn",
            "LTFU-01,CO,SV,LTFU-01-S01-D-4,2,VISITNUM,1,feels well",
        ].joined(separator: "\r\n") + "\r\n")
        let sv = try String(contentsOf: text.appendingPathComponent("sv.csv"), encoding: .utf8)
        for (line, reason) in [("LTFU-01-S01-A-1,6,M6", "in hospital elsewhere"), ("LTFU-01-S01-C-3,3,M3", "family unreachable"),
                               ("LTFU-01-S01-D-4,3,M3", "moved to Beijing"), ("LTFU-01-S01-E-5,3,M3", "travelling")] {
            #expect(sv.contains("\(line),Y,N,\(reason),IN PERSON,"), "\(reason) in:\n\(sv)")
        }
        #expect(!sv.contains("no tissue available"), "the missed unplanned U2 is not in SV")
        // Files that hold free text are their owner's only.
        let mode = try FileManager.default.attributesOfItem(atPath: text.appendingPathComponent("co.json").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Again, into a new folder and over the first: the same bytes, file by file.
        let again = daemon.root.appendingPathComponent("again")
        #expect(try SponsorScenario.export(daemon, to: again, includeText: true).status == 0)
        #expect(try Self.contents(of: again) == Self.contents(of: text))
        let plain = daemon.root.appendingPathComponent("plain"), plainAgain = daemon.root.appendingPathComponent("plain-again")
        #expect(try SponsorScenario.export(daemon, to: plain).status == 0)
        #expect(try SponsorScenario.export(daemon, to: plainAgain).status == 0)
        #expect(try Self.contents(of: plain) == Self.contents(of: plainAgain))
        // An export without text over one with text takes the comments away with the rest.
        #expect(try SponsorScenario.export(daemon, to: text).status == 0)
        #expect(try Self.contents(of: text) == Self.contents(of: plain))
        // Without --created, only datasetJSONCreationDateTime may differ.
        let unfixed = daemon.root.appendingPathComponent("unfixed")
        #expect(try daemon.ctl("export", "sdtm", "--study", "LTFU-01", "--out", unfixed.path).status == 0)
        let pattern = try Regex(#""datasetJSONCreationDateTime":"[^"]*""#)
        for (name, data) in try Self.contents(of: unfixed) {
            let fixed = try #require(try Self.contents(of: plain)[name])
            #expect(String(decoding: data, as: UTF8.self).replacing(pattern, with: "") == String(decoding: fixed, as: UTF8.self).replacing(pattern, with: ""), "\(name)")
        }
    }

    static func contents(of folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }
}

import Foundation
import LTFUWire
import Testing

/// `ltfuctl plan` and `ltfuctl classify`, run as the real binary (SPEC §8).
@Suite struct CtlOfflineTests {
    @Test func plan_json_hasExactlyTheContractKeys() throws {
        let result = try BuiltBinaries.ctl("plan", "--tier", "integrating", "--infused", "2024-01-31", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.jsonObject() as? [String: Any])
        #expect(Set(object.keys) == ["tier", "dayZero", "followUpEnds", "pediatric", "visits"])
        #expect(object["tier"] as? String == "integrating")
        #expect(object["dayZero"] as? String == "2024-01-31")
        #expect(object["followUpEnds"] as? String == "2039-01-31")
        #expect(object["pediatric"] as? Bool == false)
        let visits = try #require(object["visits"] as? [[String: Any]])
        #expect(visits.count == 18)
        #expect(Set(visits[0].keys) == ["code", "month", "target", "windowOpen", "windowClose", "mode", "assessments"])
        #expect(visits[0]["code"] as? String == "M1")
        #expect(visits[0]["month"] as? Int == 1)
        #expect(visits[0]["target"] as? String == "2024-02-29")
        #expect(visits[0]["windowOpen"] as? String == "2024-02-22")
        #expect(visits[0]["windowClose"] as? String == "2024-03-07")
        #expect(visits[0]["mode"] as? String == "in-person")
        #expect(visits[17]["mode"] as? String == "remote")
        #expect(visits[1]["assessments"] as? [String] == ["survival", "adverse-events", "malignancy", "infection",
                                                          "immune-function", "persistence", "transgene-expression",
                                                          "immunogenicity", "rcl-test"])
    }

    @Test func plan_repeatedInfusionsAndBirthDate_planFromTheLatest() throws {
        let result = try BuiltBinaries.ctl("plan", "--tier", "non-modified", "--infused", "2024-06-01",
                                           "--infused", "2024-01-31", "--born", "2022-01-10", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try result.json(PlanResponse.self)
        #expect(plan.dayZero.description == "2024-06-01")
        #expect(plan.pediatric)
        #expect(plan.visits.last?.code == "M180")
        #expect(plan.followUpEnds.description == "2039-06-01")
    }

    @Test func plan_human_showsHeaderAndTable() throws {
        let result = try BuiltBinaries.ctl("plan", "--tier", "non-integrating", "--infused", "2025-03-10")
        #expect(result.status == 0)
        for expected in ["Tier:            non-integrating", "Day 0:           2025-03-10", "Follow-up ends:  2030-03-10",
                         "Pediatric:       no (birth date unknown", "VISIT", "M60", "2030-02-08 – 2030-05-09"] {
            #expect(result.stdout.contains(expected), "missing \(expected)")
        }
    }

    @Test func plan_productFile_usesItsTier() throws {
        let file = repositoryRoot.appendingPathComponent("etc/ltfu/products.d/mrna-car-nk.toml").path
        let result = try BuiltBinaries.ctl("plan", "--product-file", file, "--infused", "2025-03-10", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try result.json(PlanResponse.self)
        #expect(plan.tier == .nonIntegrating)
        #expect(plan.tierOverride == nil)
    }

    @Test func plan_productFileWithOverride_showsIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-e2e-\(UUID().uuidString)/products.d")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let file = dir.appendingPathComponent("low.toml")
        try """
            id = "IDLV-CART"
            name = "CAR-T, integrase-deficient lentiviral"
            cell_type = "CAR-T"
            modification = "lentiviral"
            exogenous_gene_expression = true
            alters_survival_or_differentiation = false
            tier = "non-integrating"
            justification = "integrase-deficient vector, integration below detection (report R-12)"
            """.write(to: file, atomically: true, encoding: .utf8)
        let json = try BuiltBinaries.ctl("plan", "--product-file", file.path, "--infused", "2025-03-10", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        let plan = try json.json(PlanResponse.self)
        #expect(plan.tier == .nonIntegrating)
        #expect(plan.tierOverride?.computed == .integrating)
        let human = try BuiltBinaries.ctl("plan", "--product-file", file.path, "--infused", "2025-03-10")
        #expect(human.stdout.contains("non-integrating (override; computed integrating)"))
    }

    @Test(arguments: [
        (["plan", "--tier", "integrating", "--infused", "2023-02-29"], "2023-02-29"),
        (["plan", "--tier", "integrating", "--infused", "2024-13-01"], "2024-13-01"),
        (["plan", "--tier", "integrating", "--infused", "yesterday"], "yesterday"),
        (["plan", "--tier", "integrating", "--infused", "2024-01-01", "--born", "2024-02-30"], "2024-02-30"),
        (["plan", "--tier", "integrating", "--infused", "2024-01-01", "--born", "2024-05-01"], "birth date 2024-05-01 is after"),
        (["plan", "--product-file", "/nonexistent/product.toml", "--infused", "2024-01-01"], "/nonexistent/product.toml"),
        (["classify", "--modification", "none", "--exogenous-expression", "true", "--alters-survival", "false"], "contradictory"),
        (["classify", "--modification", "none", "--exogenous-expression", "false", "--alters-survival", "true"], "no automatic tier"),
        (["classify", "--modification", "aav", "--exogenous-expression", "false", "--alters-survival", "false"], "contradictory"),
    ])
    func badData_exits65_namingTheProblem(_ arguments: [String], _ named: String) throws {
        let result = try BuiltBinaries.run("ltfuctl", arguments)
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(named), "\(result.stderr)")
    }

    @Test(arguments: [
        ["plan", "--infused", "2024-01-01"],
        ["plan", "--tier", "integrating"],
        ["plan", "--tier", "high", "--infused", "2024-01-01"],
        ["plan", "--tier", "integrating", "--product-file", "x.toml", "--infused", "2024-01-01"],
        ["classify", "--modification", "retroviral", "--exogenous-expression", "true", "--alters-survival", "false"],
        ["classify", "--modification", "none", "--exogenous-expression", "maybe", "--alters-survival", "false"],
        ["classify", "--modification", "none"],
        ["frobnicate"],
    ])
    func usageErrors_exit64(_ arguments: [String]) throws {
        let result = try BuiltBinaries.run("ltfuctl", arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func badProductFile_exits65_withFileAndKey() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("typo.toml")
        try "id = \"X\"\nname = \"X\"\ncell_type = \"NK\"\nmodification = \"mrna\"\nexogenous_gene_expresion = true\nalters_survival_or_differentiation = false\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try BuiltBinaries.ctl("plan", "--product-file", file.path, "--infused", "2024-01-01")
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(file.path): key `exogenous_gene_expresion`: unknown key"))
        #expect(result.stderr.contains("\(file.path): key `exogenous_gene_expression`: is required"))
    }

    @Test func classify_json_givesTierAndRationale() throws {
        let result = try BuiltBinaries.ctl("classify", "--modification", "genome-editing", "--exogenous-expression", "false",
                                           "--alters-survival", "false", "--json")
        #expect(result.status == 0)
        let object = try #require(try result.jsonObject() as? [String: String])
        #expect(Set(object.keys) == ["tier", "rationale"])
        #expect(object["tier"] == "integrating")
        #expect(object["rationale"]?.contains("FDA 2020") == true)
    }

    @Test(arguments: [("lentiviral", "true", "integrating"), ("mrna", "true", "non-integrating"), ("none", "false", "non-modified")])
    func classify_human_printsTierAndRationale(_ modification: String, _ expression: String, _ tier: String) throws {
        let result = try BuiltBinaries.ctl("classify", "--modification", modification, "--exogenous-expression", expression,
                                           "--alters-survival", "false")
        #expect(result.status == 0)
        #expect(result.stdout.contains("Tier:       \(tier)\n"))
        #expect(result.stdout.contains("Rationale:  "))
    }
}

import Foundation
import LTFUConfig
import LTFUCore
import Testing

/// Product and schedule files on a real temp directory.
@Suite final class ProductCatalogTests: Sendable {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("products.d"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("schedules.d"), withIntermediateDirectories: true)
    }

    /// Issue #16: every test cleans up what it creates on the host.
    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(to: root.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    func load() throws(ConfigurationErrors) -> ProductCatalog {
        try ProductCatalog.load(productsDirectory: root.appendingPathComponent("products.d").path,
                                schedulesDirectory: root.appendingPathComponent("schedules.d").path)
    }

    func problems() -> [ConfigurationProblem] {
        do {
            _ = try load()
            Issue.record("expected configuration problems")
            return []
        } catch {
            return error.problems
        }
    }

    static let cart = """
        id = "CD19-CART"
        name = "Anti-CD19 CAR-T"
        cell_type = "CAR-T"
        modification = "lentiviral"
        exogenous_gene_expression = true
        alters_survival_or_differentiation = false
        """

    @Test func shippedExamples_loadAndClassify() throws {
        let etc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("etc/ltfu")
        let catalog = try ProductCatalog.load(productsDirectory: etc.appendingPathComponent("products.d").path,
                                              schedulesDirectory: etc.appendingPathComponent("schedules.d").path)
        #expect(catalog.products["CD19-CART"]?.tier.tier == .integrating)
        #expect(catalog.products["MSLN-CARNK-MRNA"]?.tier.tier == .nonIntegrating)
        #expect(catalog.products["CIK-AUTO"]?.tier.tier == .nonModified)
    }

    @Test func product_withStandardCalendar_plans() throws {
        try write("products.d/cart.toml", Self.cart)
        let catalog = try load()
        let product = try #require(catalog.products["CD19-CART"])
        #expect(product.cellType == "CAR-T")
        #expect(catalog.template(for: product).id == "standard-integrating")
        let plan = try catalog.plan(for: product, infusions: [try CalendarDate(parsing: "2025-01-01")], birthDate: nil)
        #expect(plan.visits.count == 18)
    }

    @Test func product_everyProblemNamesFileAndKey() throws {
        try write("products.d/bad.toml", """
            id = "bad id"
            name = ""
            modification = "lentivirus"
            exogenous_gene_expression = "yes"
            alters_survival = false
            """)
        let found = problems()
        let keys = Set(found.compactMap(\.key))
        #expect(keys == ["id", "name", "cell_type", "modification", "exogenous_gene_expression",
                         "alters_survival_or_differentiation", "alters_survival"])
        #expect(found.allSatisfy { $0.file.hasSuffix("products.d/bad.toml") })
        #expect(found.contains { $0.key == "alters_survival" && $0.message.contains("unknown key") })
        #expect(found.contains { $0.key == "modification" && $0.message.contains("`lentivirus` is not one of") })
        #expect(found.contains { $0.key == "cell_type" && $0.message == "is required" })
    }

    @Test func product_syntaxError_namesTheLine() throws {
        try write("products.d/broken.toml", "id = \"X\"\nname = \n")
        let found = problems()
        #expect(found.count == 1)
        #expect(found.first?.description.contains("broken.toml: line 2") == true)
    }

    @Test func product_unclassifiable_isAProblemWithTheFix() throws {
        try write("products.d/odd.toml", """
            id = "ODD"
            name = "Odd"
            cell_type = "DC"
            modification = "none"
            exogenous_gene_expression = false
            alters_survival_or_differentiation = true
            """)
        let found = problems()
        #expect(found.count == 1)
        #expect(found.first?.key == "tier")
        #expect(found.first?.message.contains("`justification`") == true)
    }

    @Test func product_loweredTierWithoutJustification_isRefused() throws {
        try write("products.d/low.toml", Self.cart + "\ntier = \"non-integrating\"\n")
        #expect(problems().map(\.key) == ["justification"])
        try write("products.d/low.toml", Self.cart + "\ntier = \"non-integrating\"\njustification = \"vector is non-integrating (IDLV)\"\n")
        let product = try #require(try load().products["CD19-CART"])
        #expect(product.tier.isOverride)
        #expect(product.tier.tier == .nonIntegrating)
    }

    @Test func duplicateProductIds_areRefused() throws {
        try write("products.d/a.toml", Self.cart)
        try write("products.d/b.toml", Self.cart)
        let found = problems()
        #expect(found.count == 1)
        #expect(found.first?.file.hasSuffix("b.toml") == true)
        #expect(found.first?.message.contains("a.toml") == true)
    }

    @Test func template_extendingATier_addsVisitsAndChangesWindows() throws {
        try write("schedules.d/intensive.toml", """
            id = "intensive"
            extends = "integrating"
            [[visits]]
            month = 1
            early_days = 3
            late_days = 3
            [[visits]]
            month = 2
            early_days = 7
            late_days = 7
            assessments = ["survival", "infection"]
            """)
        try write("products.d/cart.toml", Self.cart + "\nschedule = \"intensive\"\n")
        let catalog = try load()
        let product = try #require(catalog.products["CD19-CART"])
        let plan = try catalog.plan(for: product, infusions: [try CalendarDate(parsing: "2025-01-10")], birthDate: nil)
        #expect(plan.visits.prefix(3).map(\.code) == ["M1", "M2", "M3"])
        #expect(plan.visits[0].window == VisitWindow(open: try CalendarDate(parsing: "2025-02-07"), close: try CalendarDate(parsing: "2025-02-13")))
        #expect(plan.visits[0].assessments == Assessment.core + Assessment.gene, "keeps the standard assessments")
        #expect(plan.visits[1].assessments == [.survival, .infection])
        #expect(plan.visits.count == 19)
    }

    @Test func template_endingBeforeTheTierMinimum_isRefused() throws {
        try write("schedules.d/short.toml", """
            id = "short"
            [[visits]]
            month = 12
            early_days = 30
            late_days = 30
            assessments = ["survival"]
            [[visits]]
            month = 36
            early_days = 30
            late_days = 30
            assessments = ["survival"]
            """)
        try write("products.d/cart.toml", Self.cart + "\nschedule = \"short\"\n")
        let found = problems()
        #expect(found.count == 1)
        #expect(found.first?.key == "schedule")
        #expect(found.first?.message.contains("ends at M36, before the integrating minimum of 15 years (M180)") == true)
    }

    @Test func template_fullListCoveringTheTier_isAccepted() throws {
        try write("schedules.d/yearly.toml", """
            id = "yearly"
            [[visits]]
            month = 6
            early_days = 14
            late_days = 14
            assessments = ["survival", "persistence"]
            [[visits]]
            month = 12
            early_days = 30
            late_days = 30
            mode = "remote"
            assessments = ["survival"]
            """)
        try write("products.d/cik.toml", """
            id = "CIK"
            name = "CIK"
            cell_type = "CIK"
            modification = "none"
            exogenous_gene_expression = false
            alters_survival_or_differentiation = false
            schedule = "yearly"
            """)
        let catalog = try load()
        let plan = try catalog.plan(for: try #require(catalog.products["CIK"]), infusions: [try CalendarDate(parsing: "2025-01-10")], birthDate: nil)
        #expect(plan.visits.map(\.code) == ["M6", "M12"])
        #expect(plan.visits[1].mode == .remote)
    }

    @Test func template_validationErrors_nameFileAndKey() throws {
        try write("schedules.d/bad.toml", """
            id = "bad"
            extends = "integrated"
            colour = "blue"
            [[visits]]
            month = 0
            early_days = 3
            late_days = 3
            assessments = ["survival"]
            [[visits]]
            month = 2
            early_days = -1
            late_days = 3
            mode = "phone"
            assessments = ["survival", "vibes"]
            [[visits]]
            month = 4
            early_days = 3
            late_days = 3
            assessments = []
            [[visits]]
            month = 4
            early_days = 3
            late_days = 3
            assessments = ["survival"]
            window = 3
            """)
        let found = problems()
        let keys = Set(found.compactMap(\.key))
        #expect(keys.isSuperset(of: ["extends", "colour", "visits[0].month", "visits[1].early_days", "visits[1].mode",
                                     "visits[1].assessments[1]", "visits[2].assessments", "visits[3].month", "visits[3].window"]))
        #expect(found.allSatisfy { $0.file.hasSuffix("schedules.d/bad.toml") })
        #expect(found.contains { $0.key == "visits[3].month" && $0.message.contains("M4 is defined twice") })
    }

    @Test func template_unknownReference_isRefused() throws {
        try write("products.d/cart.toml", Self.cart + "\nschedule = \"nowhere\"\n")
        let found = problems()
        #expect(found.map(\.key) == ["schedule"])
        #expect(found.first?.message.contains("no template `nowhere`") == true)
    }

    @Test func missingFolders_holdNothing() throws {
        let catalog = try ProductCatalog.load(productsDirectory: root.appendingPathComponent("none.d").path,
                                              schedulesDirectory: root.appendingPathComponent("none2.d").path)
        #expect(catalog.products.isEmpty)
    }
}

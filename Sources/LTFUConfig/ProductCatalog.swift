import Foundation
import LTFUCore

/// Every product and site template, loaded from `products.d` and `schedules.d` and validated
/// together: ids are unique, each product's template exists and covers its tier's minimum.
public struct ProductCatalog: Sendable, Hashable {
    public private(set) var products: [String: Product]
    public private(set) var schedules: [String: ScheduleTemplate]

    public init(products: [Product] = [], schedules: [ScheduleTemplate] = []) {
        self.products = Dictionary(products.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.schedules = Dictionary(schedules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Loads every `*.toml` file of both folders. A folder that does not exist holds nothing.
    public static func load(productsDirectory: String, schedulesDirectory: String) throws(ConfigurationErrors) -> ProductCatalog {
        try load(productFiles: tomlFiles(in: productsDirectory), schedulesDirectory: schedulesDirectory)
    }

    /// Loads the given product files with the templates of `schedulesDirectory`.
    public static func load(productFiles: [String], schedulesDirectory: String) throws(ConfigurationErrors) -> ProductCatalog {
        let log = TOMLSection.ProblemLog()
        var schedules: [String: (template: ScheduleTemplate, file: String)] = [:]
        for file in tomlFiles(in: schedulesDirectory) {
            guard let section = TOMLSection.parse(contentsOf: file, log: log),
                  let template = ScheduleFile.read(section) else { continue }
            if let earlier = schedules[template.id] {
                section.problem("id", "schedule `\(template.id)` is already defined in \(earlier.file)")
            } else {
                schedules[template.id] = (template, file)
            }
        }
        var products: [String: (product: Product, file: String)] = [:]
        for file in productFiles {
            guard let section = TOMLSection.parse(contentsOf: file, log: log),
                  let product = Product.read(section) else { continue }
            if let earlier = products[product.id] {
                section.problem("id", "product `\(product.id)` is already defined in \(earlier.file)")
                continue
            }
            if let id = product.schedule {
                guard let template = schedules[id]?.template else {
                    section.problem("schedule", "no template `\(id)` in \(schedulesDirectory)")
                    continue
                }
                do {
                    try template.checkCovers(product.tier.tier)
                } catch {
                    section.problem("schedule", error.message)
                    continue
                }
            }
            products[product.id] = (product, file)
        }
        guard log.problems.isEmpty else { throw ConfigurationErrors(log.problems) }
        return ProductCatalog(products: products.values.map(\.product), schedules: schedules.values.map(\.template))
    }

    /// The template a product is followed with: its own, or its tier's standard calendar.
    public func template(for product: Product) -> ScheduleTemplate {
        product.schedule.flatMap { schedules[$0] } ?? .standard(for: product.tier.tier)
    }

    /// The calendar of a subject treated with `product`.
    public func plan(for product: Product, infusions: [CalendarDate], birthDate: CalendarDate?) throws(LTFUError) -> FollowUpPlan {
        try FollowUpPlan(tier: product.tier, template: template(for: product), infusions: infusions, birthDate: birthDate)
    }

    /// The `*.toml` files directly inside `directory`, sorted by name.
    static func tomlFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }
}

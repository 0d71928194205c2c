import Foundation
import LTFUCore
import Testing
@testable import LTFUConfig

/// Issue #24: `[site] country`, SDTM DM's `COUNTRY`, is an ISO 3166-1 alpha-3 code; anything
/// else is a problem naming the key, as `ltfud --check-config` prints it.
@Suite final class SiteCountryTests: Sendable {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ltfu-country-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    func read(_ text: String) throws -> (SiteConfiguration, [ConfigurationProblem]) {
        let file = folder.appendingPathComponent("ltfud.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return SiteConfiguration.read(file: file.path)
    }

    @Test func country_isReadWhenItIsAnAlpha3Code() throws {
        let (config, problems) = try read("[site]\ncountry = \"CHN\"\n")
        #expect(problems.isEmpty, "\(problems)")
        #expect(config.site.country == "CHN")
    }

    @Test func country_hasNoDefault() throws {
        let (config, problems) = try read("[site]\nid = \"S02\"\n")
        #expect(problems.isEmpty)
        #expect(config.site.country == nil)
    }

    @Test func country_otherThanAnAssignedAlpha3Code_isAProblemNamingTheKey() throws {
        for bad in ["China", "chn", "CN", "156", "XKX", "EUR", ""] {
            let (config, problems) = try read("[site]\ncountry = \"\(bad)\"\n")
            #expect(config.site.country == nil, "\(bad)")
            #expect(problems.map(\.key) == ["site.country"], "\(bad): \(problems)")
            #expect(problems.first?.description.contains("`\(bad)` is not an ISO 3166-1 alpha-3 country code") == true, "\(problems)")
        }
        let (_, wrongType) = try read("[site]\ncountry = 156\n")
        #expect(wrongType.map(\.key) == ["site.country"], "\(wrongType)")
    }

    /// The list in the code is Debian's iso-codes list of officially assigned codes, no more, no less.
    @Test func assignedCodes_areThoseOfDebiansIsoCodes() throws {
        let file = URL(fileURLWithPath: "/usr/share/iso-codes/json/iso_3166-1.json")
        let data = try #require(try? Data(contentsOf: file), "install the Debian package iso-codes (scripts/test does)")
        struct Standard: Decodable {
            struct Country: Decodable { var alpha_3: String }
            var countries: [Country]
            enum CodingKeys: String, CodingKey { case countries = "3166-1" }
        }
        let published = Set(try JSONDecoder().decode(Standard.self, from: data).countries.map(\.alpha_3))
        #expect(published.count == 249)
        #expect(CountryCode.assigned == published, "only in the code: \(CountryCode.assigned.subtracting(published).sorted()); only in iso-codes: \(published.subtracting(CountryCode.assigned).sorted())")
    }
}

import Foundation
import LTFUConfig
import LTFUCore

/// Loads and checks everything ltfud needs from `/etc/ltfu` (SPEC §9), as one step shared by
/// start-up, `--check-config` and reload.
public struct SiteSetup: Sendable {
    public var configuration: SiteConfiguration
    public var catalog: ProductCatalog

    /// Every problem of the configuration file, the product and schedule files and the groups.
    public static func load(configFile: String) throws(ConfigurationErrors) -> SiteSetup {
        var (configuration, problems) = SiteConfiguration.read(file: configFile)
        for (key, group) in [("access.read_group", configuration.access.readGroup), ("access.write_group", configuration.access.writeGroup)]
        where UnixAccounts.groupId(named: group) == nil {
            problems.append(ConfigurationProblem(file: configFile, key: key,
                                                 message: "no group `\(group)` on this system (create it, e.g. with systemd-sysusers)"))
        }
        if configuration.mail.enabled, !FileManager.default.isExecutableFile(atPath: configuration.mail.sendmail) {
            problems.append(ConfigurationProblem(file: configFile, key: "mail.sendmail",
                                                 message: "`\(configuration.mail.sendmail)` is not an executable program (install an MTA such as exim4-daemon-light or msmtp-mta)"))
        }
        var catalog = ProductCatalog()
        do {
            catalog = try ProductCatalog.load(productsDirectory: configuration.paths.products,
                                              schedulesDirectory: configuration.paths.schedules)
        } catch {
            problems += error.problems
        }
        guard problems.isEmpty else { throw ConfigurationErrors(problems) }
        return SiteSetup(configuration: configuration, catalog: catalog)
    }
}

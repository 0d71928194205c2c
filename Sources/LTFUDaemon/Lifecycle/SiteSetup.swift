import Foundation
import LTFUConfig
import LTFUCore
import LTFUStore

/// Loads and checks everything ltfud needs from `/etc/ltfu` (SPEC §9), as one step shared by
/// start-up, `--check-config` and reload.
public struct SiteSetup: Sendable {
    public var configuration: SiteConfiguration
    public var catalog: ProductCatalog
    /// The key of the audit chain and the file it came from; `nil` when none was given.
    public var auditKey: (key: AuditKey, file: String)?

    /// Every problem of the configuration file, the product and schedule files, the groups
    /// and the audit key.
    public static func load(configFile: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationErrors) -> SiteSetup
    {
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
        // Issue #13: a daemon that can enroll no one is misconfigured, not "OK, 0 products".
        if problems.isEmpty, catalog.products.isEmpty {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: configuration.paths.products, isDirectory: &isFolder)
            problems.append(ConfigurationProblem(
                file: configFile, key: "paths.products",
                message: !exists ? "the products folder \(configuration.paths.products) does not exist"
                    : !isFolder.boolValue ? "\(configuration.paths.products) is not a folder"
                    : "no product file (*.toml) in \(configuration.paths.products): copy one from /usr/share/doc/ltfu/examples or write your own (ltfud.toml(5))"))
        }
        var auditKey: (key: AuditKey, file: String)?
        if let file = auditKeyFile(configuration, environment: environment) {
            do {
                auditKey = (try AuditKey(contentsOf: file), file)
            } catch {
                if configuration.audit.keyFile == nil {
                    problems.append(ConfigurationProblem(
                        file: file, key: nil,
                        message: "the credential `\(AuditKey.credentialName)` (LoadCredential= in ltfud.service, from /etc/ltfu/audit.key) is unusable: \(error.message)"))
                } else {
                    problems.append(ConfigurationProblem(file: configFile, key: "audit.key_file", message: error.message))
                }
            }
        }
        guard problems.isEmpty else { throw ConfigurationErrors(problems) }
        return SiteSetup(configuration: configuration, catalog: catalog, auditKey: auditKey)
    }
}

extension SiteSetup {
    /// `[audit] key_file` if set, else systemd's credential `audit-key` when the unit passed it.
    static func auditKeyFile(_ configuration: SiteConfiguration, environment: [String: String]) -> String? {
        if let file = configuration.audit.keyFile { return file }
        guard let directory = environment["CREDENTIALS_DIRECTORY"] else { return nil }
        let file = (directory as NSString).appendingPathComponent(AuditKey.credentialName)
        return FileManager.default.fileExists(atPath: file) ? file : nil
    }
}

import LTFUCore

extension LTFUError.Kind {
    /// The one mapping from failures to ltfuctl exit codes (SPEC §8, sysexits.h).
    public var exitCode: Int32 {
        switch self {
        case .usage: 64         // EX_USAGE
        case .data, .notFound, .conflict: 65  // EX_DATAERR: refused input
        case .unavailable: 69   // EX_UNAVAILABLE
        case .storageFull: 74   // EX_IOERR: the disk is full
        case .cannotCreate: 73  // EX_CANTCREAT: an output the caller named cannot be made
        case .busy: 75          // EX_TEMPFAIL: try again later
        case .internal: 70      // EX_SOFTWARE
        case .permission: 77    // EX_NOPERM
        case .configuration: 78 // EX_CONFIG
        }
    }
}

extension LTFUError.Kind {
    /// The one mapping from failures to HTTP statuses on the control socket.
    public var httpStatus: Int {
        switch self {
        case .usage: 400
        case .data: 422
        case .notFound: 404
        case .conflict: 409
        case .permission: 403
        case .configuration, .internal: 500
        case .unavailable, .busy: 503  // a busy answer also carries Retry-After
        case .storageFull: 507  // Insufficient Storage
        case .cannotCreate: 500 // only ltfuctl's own files; never an answer of the daemon
        }
    }

    /// The error code of a busy answer (503 with `Retry-After`), which tells it from a 503
    /// that means "unavailable" (issue #23).
    public static let busyCode = "busy"

    /// The inverse, for the client: the kind an error answer's status (and code) stands for.
    public init(httpStatus: Int, code: String? = nil) {
        if httpStatus == 503, code == Self.busyCode {
            self = .busy
            return
        }
        switch httpStatus {
        case 400: self = .usage
        case 403, 401: self = .permission
        case 404: self = .notFound
        case 409: self = .conflict
        case 413, 422: self = .data
        case 503: self = .unavailable
        case 507: self = .storageFull
        default: self = .internal
        }
    }
}

/// The control API's paths (SPEC §8), named once for the daemon and the CLI.
public enum APIPath {
    public static let status = "/v1/status"
    public static let subjects = "/v1/subjects"
    public static func subject(_ code: String) -> String { "/v1/subjects/\(code)" }
    public static func infusions(_ code: String) -> String { "/v1/subjects/\(code)/infusions" }
    public static func record(_ code: String, _ visit: String) -> String { "/v1/subjects/\(code)/visits/\(visit)/record" }
    public static func miss(_ code: String, _ visit: String) -> String { "/v1/subjects/\(code)/visits/\(visit)/miss" }
    public static func end(_ code: String) -> String { "/v1/subjects/\(code)/end" }
    public static func results(_ code: String, _ visit: String) -> String { "/v1/subjects/\(code)/visits/\(visit)/results" }
    public static func events(_ code: String) -> String { "/v1/subjects/\(code)/events" }
    public static func contacts(_ code: String) -> String { "/v1/subjects/\(code)/contacts" }
    public static func consents(_ code: String) -> String { "/v1/subjects/\(code)/consents" }
    public static let signals = "/v1/signals"
    public static func ack(_ id: String) -> String { "/v1/signals/\(id)/ack" }
    public static let due = "/v1/visits/due"
    public static let overdue = "/v1/visits/overdue"
    public static let audit = "/v1/audit"
    public static let auditVerify = "/v1/audit/verify"
    public static let notifications = "/v1/notifications"
    public static let mail = "/v1/mail"
    public static let mailRetry = "/v1/mail/retry"
    public static let backup = "/v1/backup"
    public static let calendar = "/v1/calendar"
    public static let importFiles = "/v1/import"
    public static let exportCSV = "/v1/export/csv"
    public static let exportSDTM = "/v1/export/sdtm"
    public static let report = "/v1/report"
}

/// The release, shown by `ltfuctl status` and `ltfud --version`.
public enum LTFUVersion {
    public static let current = "0.2.0"
}

import LTFUCore

extension LTFUError.Kind {
    /// The one mapping from failures to ltfuctl exit codes (SPEC §8, sysexits.h).
    public var exitCode: Int32 {
        switch self {
        case .usage: 64         // EX_USAGE
        case .data, .notFound, .conflict: 65  // EX_DATAERR: refused input
        case .unavailable: 69   // EX_UNAVAILABLE
        case .internal: 70      // EX_SOFTWARE
        case .permission: 77    // EX_NOPERM
        case .configuration: 78 // EX_CONFIG
        }
    }
}

import Foundation

/// The one JSON configuration used on the socket and in `--json` output: camelCase keys as
/// declared, dates as `YYYY-MM-DD` strings (``CalendarDate`` encodes itself), sorted keys so
/// output is stable.
public enum WireJSON {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        JSONDecoder()
    }
}

/// Why a document is not valid TOML, and where: the line and column (counted in characters,
/// from 1) of the first thing that is wrong, so a site admin can go straight to the typo.
struct TOMLError: Error, Equatable, Sendable, CustomStringConvertible {
    var line: Int
    var column: Int
    var message: String

    /// `line 3, column 2: expected a key after "[", found "#"`
    var description: String { "line \(line), column \(column): \(message)" }
}

import GRDB
import LTFUCore

/// A visit's assessments as the `visit.assessments` column holds them since schema v12: one
/// letter per assessment, in the visit's order (`abcdefgj` rather than `survival,adverse-events,…`).
///
/// Issue #15: the names were a tenth of a 100,000-subject database (about 90 bytes on each
/// of 1.1 million visits). The letters lose nothing: the order stays, and every letter names
/// one assessment. A letter, once given, is never reused or moved; a new assessment takes
/// the next free letter.
public struct StoredAssessments: Sendable, Hashable, DatabaseValueConvertible, Decodable, CustomStringConvertible {
    public var list: [Assessment]

    public init(_ list: [Assessment]) {
        self.list = list
    }

    /// From the comma-separated names a `VisitRecord` carries.
    public init(names: String) {
        list = names.split(separator: ",").compactMap { Assessment(rawValue: String($0)) }
    }

    /// The comma-separated names.
    public var description: String { list.map(\.rawValue).joined(separator: ",") }

    public var databaseValue: DatabaseValue { String(list.map(Self.letter)).databaseValue }

    /// `nil` (GRDB then reports the column) for a letter no assessment has.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredAssessments? {
        guard let letters = String.fromDatabaseValue(dbValue) else { return nil }
        var list: [Assessment] = []
        for letter in letters {
            guard let assessment = byLetter[letter] else { return nil }
            list.append(assessment)
        }
        return StoredAssessments(list)
    }

    /// GRDB reads a record's column through ``fromDatabaseValue(_:)``; this is for any other
    /// decoder, from the same letters.
    public init(from decoder: any Decoder) throws {
        let letters = try decoder.singleValueContainer().decode(String.self)
        guard let stored = Self.fromDatabaseValue(letters.databaseValue) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "`\(letters)` are not assessment letters"))
        }
        self = stored
    }

    /// The letter of each assessment, for ever.
    static func letter(_ assessment: Assessment) -> Character {
        switch assessment {
        case .survival: "a"
        case .adverseEvents: "b"
        case .malignancy: "c"
        case .infection: "d"
        case .immuneFunction: "e"
        case .persistence: "f"
        case .transgeneExpression: "g"
        case .immunogenicity: "h"
        case .rclTest: "i"
        case .rclArchive: "j"
        case .growth: "k"
        case .puberty: "l"
        case .neurodevelopment: "m"
        case .integrationSiteAnalysis: "n"
        case .tumorVectorAnalysis: "o"
        case .tissueSample: "p"
        case .consent: "q"
        }
    }

    private static let byLetter = Dictionary(uniqueKeysWithValues: Assessment.allCases.map { (letter($0), $0) })
}

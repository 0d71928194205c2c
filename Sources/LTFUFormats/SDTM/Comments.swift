/// SDTM CO (SDTMIG 3.4, Comments): the free text ltfu holds about a record of another domain,
/// written only with `--include-text` (SPEC §12, §14: notes may identify a person). Each comment
/// names its parent record by `RDOMAIN`, `IDVAR` and `IDVARVAL` (an event's `AESEQ`, a visit's
/// `VISITNUM`); miss reasons are not here but in SV's own `SVREASOC`.
public struct Comment: Sendable, Hashable {
    public var usubjid: String
    public var domain: String
    public var idvar: String
    public var idvarval: String
    public var text: String

    /// Takes the note each row carries as its last value off the rows, and makes it a comment on
    /// the row's record, once the rows are in their final order and numbered.
    static func split(_ rows: [[SDTMDataset.Value?]], domain: String, idvar: String, subjectColumn: Int,
                      idColumn: Int) -> (rows: [[SDTMDataset.Value?]], comments: [Comment])
    {
        var comments: [Comment] = []
        let kept = rows.map { row -> [SDTMDataset.Value?] in
            if let note = row.last ?? nil, !note.description.isEmpty {
                comments.append(Comment(usubjid: row[subjectColumn]?.description ?? "", domain: domain, idvar: idvar,
                                        idvarval: row[idColumn]?.description ?? "", text: note.description))
            }
            return Array(row.dropLast())
        }
        return (kept, comments)
    }
}

public enum Comments {
    /// SDTMIG 3.4 CO `COVAL`: "when the comment text is longer than 200 characters", the rest
    /// goes on in `COVAL1`, `COVAL2`, … of 200 characters each.
    static let valueLimit = 200

    static func variables(extraValues: Int) -> [SDTMDataset.Variable] {
        [
            .init("STUDYID", "Study Identifier", key: 1), .init("DOMAIN", "Domain Abbreviation"),
            .init("RDOMAIN", "Related Domain Abbreviation", key: 2), .init("USUBJID", "Unique Subject Identifier", key: 3),
            .init("COSEQ", "Sequence Number", .integer), .init("IDVAR", "Identifying Variable"),
            .init("IDVARVAL", "Identifying Variable Value", key: 4), .init("COVAL", "Comment"),
        ] + (0..<extraValues).map { .init("COVAL\($0 + 1)", "Comment") }
    }

    public static func dataset(_ comments: [Comment], study: SponsorStudy) -> SDTMDataset {
        let pieces = comments.map { chunks($0.text) }
        let extra = max(0, (pieces.map(\.count).max() ?? 1) - 1)
        let rows = zip(comments, pieces).map { comment, pieces -> [SDTMDataset.Value?] in
            [.text(study.study), .text("CO"), .text(comment.domain), .text(comment.usubjid), nil, .text(comment.idvar),
             .text(comment.idvarval)] + (0...extra).map { $0 < pieces.count ? .text(pieces[$0]) : nil }
        }
        // SDTMIG 3.4 CO keys: STUDYID, RDOMAIN, USUBJID, IDVARVAL (then the comment itself).
        return SDTMDataset(name: "CO", label: "Comments", variables: variables(extraValues: extra),
                           rows: rows.sorted(byKeys: [0, 2, 3, 6]).numberedPerSubject(subjectColumn: 3, sequenceColumn: 4))
    }

    /// The text in pieces of at most 200 characters.
    static func chunks(_ text: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(valueLimit)))
            rest = rest.dropFirst(valueLimit)
        }
        return pieces.isEmpty ? [""] : pieces
    }
}

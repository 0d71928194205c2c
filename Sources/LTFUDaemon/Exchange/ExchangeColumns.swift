/// SPEC §12: the columns of the import files, which `export csv` writes too, named once.
enum ExchangeColumns {
    /// `subjects.csv`: every one must be in the header, in any order.
    static let subjects = ["code", "product", "infused", "born", "consent_on", "consent_by", "ended_on", "end_reason"]
    /// What `export csv` adds, which an import takes and does not need.
    static let subjectsExported = ["status"]

    /// `visits.csv`.
    static let visits = ["code", "visit", "outcome", "on", "reason", "results"]
    /// `target` says which calendar a row is in (after a re-infusion a visit code recurs);
    /// the others are for the reader.
    static let visitsExported = ["status", "target", "window_open", "window_close", "purpose"]

    /// Between dates of `infused` and results of `results`.
    static let listSeparator: Character = ";"
}

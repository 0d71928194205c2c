import GRDB
import LTFUCore

extension FollowUpStore {
    /// SPEC §14: every subject with all it holds and the product as it was enrolled with (SPEC §3:
    /// a subject keeps it, whatever the catalog says now), in code order, read in one snapshot.
    public func everySubjectWithEnrolledProduct() throws(LTFUError) -> [(detail: SubjectDetail, product: Product)] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT code FROM subject ORDER BY code").map { code in
                let detail = try SubjectDetail.fetch(db, code: code)
                return (detail, try ProductVersionRecord.product(db, id: detail.subject.productVersionId, subject: code))
            }
        }
    }
}

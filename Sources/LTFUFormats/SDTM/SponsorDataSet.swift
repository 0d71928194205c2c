import Foundation
import LTFUCore

/// SPEC §14: the site's SDTM data set for the sponsor, every domain as Dataset-JSON 1.1 and CSV.
/// DM, DS, AE and SV as SPEC §14 lists them, EX because SDTMIG wants the treatment wherever a
/// study gives one (see ``Exposure``), and CO, only with `--include-text`, for notes.
public enum SponsorDataSet {
    /// The domains in file-name order.
    public static func domains(_ subjects: [SponsorSubject], study: SponsorStudy) throws(LTFUError) -> [SDTMDataset] {
        let (events, eventNotes) = AdverseEvents.dataset(subjects, study: study)
        let (visits, visitNotes) = SubjectVisits.dataset(subjects, study: study)
        var domains = [try Demographics.dataset(subjects, study: study), Disposition.dataset(subjects, study: study), events,
                       Exposure.dataset(subjects, study: study), visits]
        if study.includeText { domains.append(Comments.dataset(eventNotes + visitNotes, study: study)) }
        return domains.sorted { $0.name < $1.name }
    }

    /// Each domain's two files by name (`ae.csv`, `ae.json`, …), in name order.
    public static func files(_ domains: [SDTMDataset], _ provenance: SDTMDataset.Provenance) throws(LTFUError) -> [(name: String, text: String)] {
        var files: [(name: String, text: String)] = []
        for domain in domains {
            let json: Data
            do {
                json = try domain.datasetJSON(provenance)
            } catch {
                throw LTFUError(.internal, code: "encoding-failed", "cannot write {file}: {reason}", ["file": domain.jsonFileName, "reason": "\(error)"])
            }
            files.append((domain.csvFileName, domain.csv()))
            files.append((domain.jsonFileName, String(decoding: json, as: UTF8.self)))
        }
        return files.sorted { $0.name < $1.name }
    }
}

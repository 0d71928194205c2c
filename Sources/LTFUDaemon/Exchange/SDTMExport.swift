import Foundation
import LTFUCore
import LTFUFormats
import LTFUStore
import LTFUWire

/// SPEC §14: `POST /v1/export/sdtm`. The daemon renders the data set, since only it holds what
/// DM needs and no answer may carry (the birth date, for `AGE`), the notes of events and the
/// product each subject was enrolled with; the answer carries the finished files.
extension SubjectRegistry {
    public func exportSDTM(_ request: SDTMExportRequest) throws(LTFUError) -> SDTMExportResponse {
        try request.validate()
        let configuration = configuration
        guard let country = configuration.site.country else {
            throw LTFUError(.data, code: "country-not-configured",
                            "the SDTM export needs the site's country for DM's COUNTRY: set `country` in [site] of {file} to its ISO 3166-1 alpha-3 code (e.g. country = \"CHN\"), then reload ltfud",
                            ["file": configuration.file])
        }
        let study = SponsorStudy(study: request.study, site: configuration.site.id, country: country,
                                 includeText: request.includeText ?? false)
        let today = today
        let subjects = try store.everySubjectWithEnrolledProduct().map { sponsorSubject($0.detail, product: $0.product, today: today) }
        let created = request.created ?? now.formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: configuration.site.timeZone))
        let domains = try SponsorDataSet.domains(subjects, study: study)
        let files = try SponsorDataSet.files(domains, .init(study: study.study, site: study.site, created: created, version: LTFUVersion.current))
        return SDTMExportResponse(files: files.map { .init(name: $0.name, text: $0.text) },
                                  domains: domains.map { .init(name: $0.name, records: $0.rows.count) },
                                  subjects: subjects.count, created: created)
    }

    func sponsorSubject(_ detail: SubjectDetail, product: Product, today: CalendarDate) -> SponsorSubject {
        let subject = detail.subject
        return SponsorSubject(
            code: subject.code, productId: subject.productId, productName: product.name, birthDate: subject.birthDate,
            infusions: detail.infusions,
            consents: detail.consents.map { ConsentEntry(on: $0.date, by: $0.giver, form: $0.form) },
            endReason: subject.endReason, endedOn: subject.endedOn,
            events: detail.events.map { .init(kind: $0.kind, on: $0.date, related: $0.related, note: $0.note) },
            visits: show(detail, today: today).visits)
    }
}

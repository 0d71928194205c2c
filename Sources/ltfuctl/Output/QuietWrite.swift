import LTFUWire

extension GlobalOptions {
    /// A write to one subject's calendar. With `--json` the daemon's answer, as the contract
    /// says; for a person the confirmation and only the visits the write changed, found by
    /// comparing with the calendar read just before (``SubjectRendering/confirm(_:before:after:)``).
    func write(subject code: String, enrolling: Bool = false, _ post: () async throws -> ShowResponse,
               confirmation: (ShowResponse) -> String) async throws
    {
        if json {
            try printJSON(try await post())
            return
        }
        let before: ShowResponse? = enrolling ? nil : try? await client.get(APIPath.subject(try pathSegment(code)))
        let after = try await post()
        print(SubjectRendering.confirm(confirmation(after), before: before, after: after))
    }
}

/// A cell therapy product as declared in `products.d/*.toml` (SPEC §3, §9), with its tier
/// resolved once at load time.
public struct Product: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// CAR-T, TCR-T, TIL, NK, DC, CIK, …
    public var cellType: String
    public var traits: ProductTraits
    /// The id of a template in `schedules.d`, or `nil` for the tier's standard calendar.
    public var schedule: String?
    public var tier: TierAssignment

    public init(id: String, name: String, cellType: String, traits: ProductTraits, schedule: String?, tier: TierAssignment) {
        self.id = id
        self.name = name
        self.cellType = cellType
        self.traits = traits
        self.schedule = schedule
        self.tier = tier
    }
}

import RefkitModel

/// What a build did to the output folders.
public struct WriteSummary: Hashable, Sendable {
    public struct Counts: Hashable, Sendable {
        public var written = 0
        public var unchanged = 0
        public var removed = 0
        public init(written: Int = 0, unchanged: Int = 0, removed: Int = 0) {
            self.written = written
            self.unchanged = unchanged
            self.removed = removed
        }
        public var total: Int { written + unchanged }
    }

    public var site: Counts
    public var kit: Counts

    public init(site: Counts = .init(), kit: Counts = .init()) {
        self.site = site
        self.kit = kit
    }

    public subscript(area: OutputArea) -> Counts {
        get { area == .site ? site : kit }
        set { if area == .site { site = newValue } else { kit = newValue } }
    }
}

extension Duration {
    /// The duration in (fractional) seconds, as timings are reported everywhere in the project.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}

/// A small, fast, reproducible random number generator (SplitMix64, Steele et al. 2014).
///
/// Synthesis must give the same output for the same seed on every machine and after a resume,
/// so every random choice goes through this generator, seeded per problem by
/// ``SeededGenerator/init(seed:salt:)`` rather than by one stream shared across problems.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one item of a run: the run's seed mixed with a stable hash of the item's
    /// id, so an item's choices do not depend on which items came before it.
    public init(seed: UInt64, salt: String) {
        state = seed ^ Self.fnv1a(salt)
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64-bit FNV-1a over UTF-8 bytes: stable across processes, unlike `Hasher`.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        return hash
    }
}

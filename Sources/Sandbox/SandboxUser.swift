import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Which unprivileged user a program runs as, when the harness runs as root.
///
/// Why not one shared user such as `nobody` (65534): RLIMIT_NPROC counts every process of a user
/// id on the host, across all namespaces, so with one shared id the process limit is a budget
/// shared by every sandbox running at once — eight concurrent runs with a limit of 16 starve each
/// other (bubblewrap fails with "Can't fork for pid 1"), and one fork bomb starves all of them.
/// A distinct id per concurrent run gives each its own budget. The ids need no passwd entry.
public enum SandboxUser: Sendable, Hashable {
    /// A distinct uid (= gid) per concurrent run: `base + (our pid mod 4000) × 256 + slot`, where
    /// slot is the lowest one free in this process. The pid term keeps two harness processes on
    /// one machine (two test runs, two engineers) apart.
    case distinctPerRun(base: UInt32)
    /// One fixed user for every run (e.g. 65534); runs then share the process limit.
    case fixed(uid: UInt32, gid: UInt32)

    /// Ids from one million up: above the usual system, user and subordinate-id ranges.
    public static let `default` = SandboxUser.distinctPerRun(base: 1_000_000)
}

/// Lends out per-run slots for ``SandboxUser/distinctPerRun(base:)``.
final class UserSlots: Sendable {
    static let shared = UserSlots()
    static let count = 256
    private struct State {
        var used = [Bool](repeating: false, count: UserSlots.count)
        var next = 0
    }
    private let state = Mutex(State())

    /// A free slot, searched round-robin from the one after the last lent; when all are taken
    /// (more than 256 runs at once) slots are shared, which only means those runs share a
    /// process budget.
    ///
    /// Round-robin rather than lowest-free: the processes of a finished run leave the kernel's
    /// per-uid count only when they are reaped, which can trail the end of the run (a killed
    /// fork bomb's thousand children). A run handed the slot just given back could find that
    /// uid's process budget still spent, and bubblewrap would fail with "Creating new namespace
    /// failed: Resource temporarily unavailable".
    func acquire() -> Int? {
        state.withLock { state in
            for step in 0..<UserSlots.count {
                let slot = (state.next + step) % UserSlots.count
                if !state.used[slot] {
                    state.used[slot] = true
                    state.next = (slot + 1) % UserSlots.count
                    return slot
                }
            }
            return nil
        }
    }

    func release(_ slot: Int?) {
        guard let slot else { return }
        state.withLock { $0.used[slot] = false }
    }
}

/// A uid/gid pair lent to one run.
struct LentUser {
    var uid: UInt32
    var gid: UInt32
    var slot: Int?

    static func lend(_ policy: SandboxUser) -> LentUser {
        switch policy {
        case .fixed(let uid, let gid):
            return LentUser(uid: uid, gid: gid, slot: nil)
        case .distinctPerRun(let base):
            let slot = UserSlots.shared.acquire()
            let id = base + UInt32(getpid() % 4000) * UInt32(UserSlots.count) + UInt32(slot ?? 0)
            return LentUser(uid: id, gid: id, slot: slot)
        }
    }

    func giveBack() {
        UserSlots.shared.release(slot)
    }
}

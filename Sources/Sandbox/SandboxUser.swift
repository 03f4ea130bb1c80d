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
    private let used = Mutex<[Bool]>([Bool](repeating: false, count: UserSlots.count))

    /// A free slot; when all are taken (more than 256 runs at once) slots are shared, which only
    /// means those runs share a process budget.
    func acquire() -> Int? {
        used.withLock { used in
            guard let slot = used.firstIndex(of: false) else { return nil }
            used[slot] = true
            return slot
        }
    }

    func release(_ slot: Int?) {
        guard let slot else { return }
        used.withLock { $0[slot] = false }
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

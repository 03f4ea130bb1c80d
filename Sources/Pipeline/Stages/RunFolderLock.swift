import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on `RUN_DIR/.lock` for as long as a pipeline runs in the folder, so a second
/// process (a `--resume` started while the first still runs) is refused instead of training into
/// the same checkpoints. `flock` is released by the kernel when the process dies, even by
/// `kill -9`, so a killed run never leaves a stale lock behind.
final class RunFolderLock {
    private let descriptor: Int32

    init(runDirectory: String) throws(PipelineError) {
        let path = runDirectory + "/.lock"
        descriptor = open(path, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else { throw PipelineError.io(path, "cannot open the lock file (errno \(errno))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw PipelineError("\(runDirectory) is in use by another pipeline process; wait for it or stop it first")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

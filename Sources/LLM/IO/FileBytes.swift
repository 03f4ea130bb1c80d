#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of a model file: memory-mapped from disk, or owned in memory (fixtures, fuzzing).
///
/// Model files are hundreds of megabytes to gigabytes; mapping them read-only lets the kernel
/// page in only the tensors that are used and share the pages between processes, as llama.cpp
/// does (`llama_mmap`). The buffer stays valid for the lifetime of this object, so tensor views
/// keep a reference to it.
public final class FileBytes: @unchecked Sendable {
    /// The file name used in error messages.
    public let name: String
    /// The whole file. Immutable after `init`; safe to read from any thread.
    public let buffer: UnsafeRawBufferPointer
    private let isMapped: Bool

    /// Maps the file at `path` read-only.
    public init(mapping path: String) throws {
        name = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ModelFileError(.cannotOpen, file: path, "cannot open (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ModelFileError(.cannotOpen, file: path, "cannot stat (\(String(cString: strerror(errno))))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ModelFileError(.cannotOpen, file: path, "not a regular file")
        }
        let size = Int(info.st_size)
        if size == 0 {
            // mmap rejects a zero length; an empty file is simply an empty buffer (and then truncated).
            buffer = UnsafeRawBufferPointer(start: nil, count: 0)
            isMapped = false
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw ModelFileError(.cannotOpen, file: path, "cannot map (\(String(cString: strerror(errno))))")
        }
        buffer = UnsafeRawBufferPointer(start: address, count: size)
        isMapped = true
    }

    /// Copies `bytes` into an owned buffer; `name` stands for the file in error messages.
    public init(bytes: [UInt8], name: String) {
        self.name = name
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { storage.baseAddress!.copyMemory(from: base, byteCount: source.count) }
        }
        buffer = UnsafeRawBufferPointer(start: storage.baseAddress, count: bytes.count)
        isMapped = false
    }

    deinit {
        guard let base = buffer.baseAddress else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), buffer.count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}

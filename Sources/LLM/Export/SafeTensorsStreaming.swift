import Foundation

/// Writes a model's tensors as one fp32 `.safetensors` file, producing and writing one tensor at a
/// time: the header is known from names and shapes alone, so memory stays at one tensor instead
/// of the whole model (``SafeTensorsWriter`` encodes the file in memory — fine for adapters, 3×
/// the model for a merged export).
///
/// Layout as the reference serializer writes it (and ``SafeTensorsWriter`` does): u64 header
/// length, a JSON header padded with spaces to a multiple of 8, tensors in order of decreasing
/// element size then name (all F32 here, so by name), little-endian. Written to a temporary file
/// and renamed.
enum SafeTensorsStreaming {
    static func write(
        _ tensors: [ModelTensor], to path: String, metadata: [String: String] = ["format": "pt"],
        progress: (Int, String) -> Void = { _, _ in }
    ) throws {
        let ordered = tensors.sorted { $0.name < $1.name }
        guard Set(ordered.map(\.name)).count == ordered.count else {
            throw ModelFileError(.invalidValue, file: path, location: "tensors", "duplicate tensor names")
        }
        var header: [String: Any] = ["__metadata__": metadata]
        var offset = 0
        for tensor in ordered {
            let bytes = tensor.shape.reduce(1, *) * 4
            header[tensor.name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + bytes]]
            offset += bytes
        }
        var json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(0x20) }

        let url = URL(fileURLWithPath: path)
        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        do {
            _ = FileManager.default.createFile(atPath: partial.path, contents: nil)
            let handle = try FileHandle(forWritingTo: partial)
            defer { try? handle.close() }
            try handle.write(contentsOf: withUnsafeBytes(of: UInt64(json.count).littleEndian) { Data($0) })
            try handle.write(contentsOf: json)
            for (i, tensor) in ordered.enumerated() {
                progress(i, tensor.name)
                let values = tensor.values()
                guard values.count == tensor.shape.reduce(1, *) else {
                    throw ModelFileError(
                        .invalidValue, file: path, location: "tensor \(tensor.name)",
                        "shape \(tensor.shape) does not hold \(values.count) values")
                }
                // fp32 in memory is little-endian on every platform Swift targets here (x86-64, arm64).
                try values.withUnsafeBytes { try handle.write(contentsOf: Data($0)) }
            }
            try handle.synchronize()
            _ = try? FileManager.default.removeItem(at: url)
            try FileManager.default.moveItem(at: partial, to: url)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            if error is ModelFileError { throw error }
            throw ModelFileError(.cannotOpen, file: path, "cannot write (\(error.localizedDescription))")
        }
    }
}

import Foundation

/// A Hugging Face model folder as a `Checkpoint`: `config.json` plus `model.safetensors`, or the
/// shards listed in `model.safetensors.index.json` (`weight_map`: tensor name → shard file).
public struct SafeTensorsCheckpoint: Checkpoint {
    public let folder: String
    public let config: TransformerConfig
    public let tensorNames: [String]
    private let shards: [SafeTensorsFile]
    private let shardOf: [String: Int]

    public init(folder: String) throws {
        self.folder = folder
        config = try ModelRegistry.config(jsonAt: folder + "/config.json")
        let indexPath = folder + "/model.safetensors.index.json"
        var files: [String]
        if FileManager.default.fileExists(atPath: indexPath) {
            files = try Self.shardFiles(indexPath: indexPath)
        } else {
            files = ["model.safetensors"]
        }
        var shards: [SafeTensorsFile] = []
        var shardOf: [String: Int] = [:]
        for file in files {
            let shard = try SafeTensorsFile(path: folder + "/" + file)
            for info in shard.tensors {
                guard shardOf.updateValue(shards.count, forKey: info.name) == nil else {
                    throw ModelFileError(
                        .invalidValue, file: shard.bytes.name, location: "tensor \(info.name)",
                        "also appears in another shard")
                }
            }
            shards.append(shard)
        }
        self.shards = shards
        self.shardOf = shardOf
        tensorNames = shardOf.keys.sorted()
    }

    static func shardFiles(indexPath: String) throws -> [String] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: indexPath))
        } catch {
            throw ModelFileError(.cannotOpen, file: indexPath, "cannot read the shard index")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let map = root["weight_map"] as? [String: String]
        else {
            throw ModelFileError(
                .invalidValue, file: indexPath, location: "weight_map", "must map tensor names to files")
        }
        let files = Set(map.values)
        // Shard names come from the file: refuse paths that would leave the model folder.
        if let bad = files.first(where: { $0.contains("/") || $0.hasPrefix(".") }) {
            throw ModelFileError(
                .invalidValue, file: indexPath, location: "weight_map", "shard \(bad) is not a file name")
        }
        return files.sorted()
    }

    private func shard(_ name: String) throws -> SafeTensorsFile {
        guard let i = shardOf[name] else {
            throw ModelFileError(.invalidValue, file: folder, location: "tensor \(name)", "no such tensor")
        }
        return shards[i]
    }

    public func shape(of name: String) throws -> [Int] { try shard(name).tensor(name).shape }

    public func floats(_ name: String) throws -> [Float] { try shard(name).floats(name) }
}

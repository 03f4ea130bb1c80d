import Foundation

/// `eos_token_id` is an integer in most configs and a list in Llama 3's; `bos_token_id` may be null.
struct TokenIDList: Codable, Sendable, Equatable {
    var ids: [Int]

    init(_ ids: [Int]) { self.ids = ids }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            ids = []
        } else if let one = try? container.decode(Int.self) {
            ids = [one]
        } else {
            ids = try container.decode([Int].self)
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if ids.count == 1 { try container.encode(ids[0]) } else { try container.encode(ids) }
    }
}

/// `rope_scaling` as written by `transformers` (the kind is `rope_type`, or `type` in older files),
/// or transformers 5's `rope_parameters`, which also holds `rope_theta`.
struct RopeScalingJSON: Codable, Sendable, Equatable {
    var ropeTheta: Float?
    var ropeType: String?
    var type: String?
    var factor: Float?
    var lowFreqFactor: Float?
    var highFreqFactor: Float?
    var originalMaxPositionEmbeddings: Int?

    enum CodingKeys: String, CodingKey {
        case ropeTheta = "rope_theta"
        case ropeType = "rope_type"
        case type, factor
        case lowFreqFactor = "low_freq_factor"
        case highFreqFactor = "high_freq_factor"
        case originalMaxPositionEmbeddings = "original_max_position_embeddings"
    }

    func resolved(file: String) throws -> RopeScaling? {
        let kind = ropeType ?? type ?? "default"
        func missing(_ field: String) -> ModelFileError {
            ModelFileError(
                .invalidValue, file: file, location: "rope_scaling.\(field)", "required for rope_type \(kind)")
        }
        switch kind {
        case "default": return nil
        case "linear":
            guard let factor else { throw missing("factor") }
            return .linear(factor: factor)
        case "llama3":
            guard let factor else { throw missing("factor") }
            guard let original = originalMaxPositionEmbeddings else {
                throw missing("original_max_position_embeddings")
            }
            return .llama3(
                factor: factor, lowFrequencyFactor: lowFreqFactor ?? 1, highFrequencyFactor: highFreqFactor ?? 4,
                originalMaxPositions: original)
        default:
            throw ModelFileError(
                .unsupportedType, file: file, location: "rope_scaling.rope_type",
                "\(kind) is not supported (supported: default, linear, llama3)")
        }
    }
}

/// Decodes a `config.json`, turning `DecodingError` into a `ModelFileError` that names the field.
func decodeHuggingFaceJSON<T: Decodable>(_ type: T.Type, from data: Data, file: String) throws -> T {
    do {
        return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
        throw ModelFileError(.invalidValue, file: file, location: error.fieldPath, error.summary)
    } catch {
        throw ModelFileError(.invalidValue, file: file, "is not valid JSON")
    }
}

extension DecodingError {
    var context: Context? {
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c): return c
        @unknown default: return nil
        }
    }

    var fieldPath: String? {
        var path = context?.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue } ?? []
        if case .keyNotFound(let key, _) = self { path.append(key.stringValue) }
        return path.isEmpty ? nil : path.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    var summary: String {
        switch self {
        case .typeMismatch(let type, _): return "expected \(type)"
        case .valueNotFound(let type, _): return "expected \(type), found null"
        case .keyNotFound: return "required field is missing"
        case .dataCorrupted(let c): return c.codingPath.isEmpty ? "is not valid JSON" : c.debugDescription
        @unknown default: return "cannot be decoded"
        }
    }
}

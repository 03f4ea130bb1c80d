import ArgumentParser
import ClarifyCore

/// Every model-taking option goes through here, so they accept the same forms and fail alike.
enum ModelArgument {
    /// `text` as a ``ModelSpec``; a ``ValidationError`` naming `option` when it names no model, or
    /// (with `localOnly`) a model the local engine cannot run.
    static func parse(_ text: String, option: String, localOnly: Bool = false) throws -> ModelSpec {
        let spec: ModelSpec
        do {
            spec = try ModelSpec(parsing: text)
        } catch {
            throw ValidationError("\(option): \(error)")
        }
        if localOnly, !spec.isLocal {
            throw ValidationError(
                "\(option) must be a local model (\(KnownModel.names.joined(separator: ", ")), a .gguf file or a "
                    + "Hugging Face folder), not \(text)")
        }
        return spec
    }

    /// The help text's list of forms: `smollm2, qwen2.5-coder-0.5b, qwen2.5-coder-1.5b (see `clarifycoder models`)`.
    static var knownNames: String {
        KnownModel.names.joined(separator: ", ") + " (see `clarifycoder models`)"
    }
}

import Foundation

/// What a Hugging Face model folder says about its tokenizer beyond `tokenizer.json`: the BOS/EOS
/// tokens, whether BOS is prepended, and the chat template — from `tokenizer_config.json` and,
/// as transformers 5 saves it, `chat_template.jinja` next to it.
public struct HuggingFaceTokenizerConfig: Sendable, Equatable {
    public var bosToken: String?
    public var eosToken: String?
    public var addBOSToken: Bool
    /// The Jinja source of the default chat template, if the folder has one.
    public var chatTemplate: String?

    /// Reads `tokenizer_config.json` (required) and `chat_template.jinja` (optional) in `folder`.
    public init(folder: String) throws {
        let configPath = folder + "/tokenizer_config.json"
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: configPath))
        } catch {
            throw ModelFileError(.cannotOpen, file: configPath, "cannot read tokenizer_config.json")
        }
        try self.init(json: data, file: configPath)
        let jinjaPath = folder + "/chat_template.jinja"
        if FileManager.default.fileExists(atPath: jinjaPath) {
            do {
                chatTemplate = try String(contentsOfFile: jinjaPath, encoding: .utf8)
            } catch {
                throw ModelFileError(.invalidValue, file: jinjaPath, "is not readable UTF-8 text")
            }
        }
    }

    public init(json data: Data, file: String) throws {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ModelFileError(.invalidValue, file: file, "is not valid JSON")
        }
        guard let root = parsed as? [String: Any] else {
            throw ModelFileError(.invalidValue, file: file, location: "(root)", "must be a JSON object")
        }
        // A special token is a string, or (transformers 4) an AddedToken object with `content`.
        func token(_ key: String) throws -> String? {
            switch root[key] {
            case nil, is NSNull: return nil
            case let string as String: return string
            case let object as [String: Any]:
                guard let content = object["content"] as? String else {
                    throw ModelFileError(.invalidValue, file: file, location: "\(key).content", "must be a string")
                }
                return content
            default:
                throw ModelFileError(.invalidValue, file: file, location: key, "must be a string or a token object")
            }
        }
        bosToken = try token("bos_token")
        eosToken = try token("eos_token")
        addBOSToken = root["add_bos_token"] as? Bool ?? false
        switch root["chat_template"] {
        case nil, is NSNull: chatTemplate = nil
        case let template as String: chatTemplate = template
        case let named as [[String: Any]]:
            // Several named templates: the one called "default" is what apply_chat_template uses.
            chatTemplate = named.first { $0["name"] as? String == "default" }?["template"] as? String
        default:
            throw ModelFileError(
                .invalidValue, file: file, location: "chat_template", "must be a string or a list of named templates")
        }
    }
}

extension Tokenizer {
    /// Loads `tokenizer.json` and `tokenizer_config.json` from a Hugging Face model folder, with the
    /// BOS/EOS ids the config names.
    public init(huggingFaceFolder folder: String) throws {
        try self.init(tokenizerJSONAt: folder + "/tokenizer.json")
        let config = try HuggingFaceTokenizerConfig(folder: folder)
        let file = folder + "/tokenizer_config.json"
        func id(_ token: String?, _ field: String) throws -> Int? {
            guard let token else { return nil }
            guard let id = self.id(of: token) else {
                throw ModelFileError(.invalidValue, file: file, location: field, "\(token) is not in the vocabulary")
            }
            return id
        }
        bosTokenID = try id(config.bosToken, "bos_token")
        eosTokenID = try id(config.eosToken, "eos_token")
    }
}

extension ChatTemplate {
    /// The chat format named by a Hugging Face tokenizer config, if it is a known one.
    public init?(huggingFace config: HuggingFaceTokenizerConfig) {
        guard let template = config.chatTemplate else { return nil }
        self.init(jinja: template, bosToken: config.bosToken)
    }
}

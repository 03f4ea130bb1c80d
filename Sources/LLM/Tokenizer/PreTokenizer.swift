/// The pre-tokenizer families: how text is cut into words before BPE merges run inside each word.
///
/// Each is the regular expression of its family (as used by Hugging Face `tokenizers` and
/// llama.cpp's `llm_tokenizer_bpe`), implemented as a hand-written scanner because Swift's
/// regex engines run these patterns at 1–2 MB/s. The patterns, for reference:
/// - `gpt2`: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
/// - `llama3`: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
///   ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
/// - `qwen2`: as `llama3` with `\p{N}` (one digit per word)
/// - `smolLM`: SmolLM/SmolLM2 and StarCoder — every digit is its own word (`Digits` with
///   `individual_digits`), the rest is cut with the `gpt2` pattern.
public enum PreTokenizer: String, Sendable, CaseIterable {
    case gpt2
    case llama3
    case qwen2
    case smolLM

    /// The family for a GGUF `tokenizer.ggml.pre` name (llama.cpp's `llama_vocab::load`).
    public init?(ggufName: String) {
        switch ggufName {
        case "gpt-2", "gpt2", "default": self = .gpt2
        case "llama3", "llama-v3", "llama-bpe", "smaug-bpe", "dbrx": self = .llama3
        case "qwen2", "deepseek-r1-qwen", "megrez": self = .qwen2
        case "smollm", "starcoder", "refact", "codeshell": self = .smolLM
        default: return nil
        }
    }

    /// The split pattern of the `llama3` family, as it appears in a `tokenizer.json` `Split`.
    static let llama3Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    /// The split pattern of the `qwen2` family.
    static let qwen2Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// Cuts `text` into words; calls `body` with the UTF-8 byte range of each, in order.
    func split(_ text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        let scanner = PreTokenizerScanner(text)
        switch self {
        case .gpt2: scanner.scanGPT2(0, scanner.count, body)
        case .llama3: scanner.scanLlama3(maxDigits: 3, body)
        case .qwen2: scanner.scanLlama3(maxDigits: 1, body)
        case .smolLM: scanner.scanDigitsThenGPT2(body)
        }
    }
}

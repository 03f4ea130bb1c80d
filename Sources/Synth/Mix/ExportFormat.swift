import ClarifyCore
import Foundation

/// The training-file formats `clarifycoder mix` writes.
///
/// - `chat`: `{"messages": [{"role", "content"}…], "metadata": {…}}` (TRL, most trainers);
/// - `sharegpt`: `{"conversations": [{"from": "system|human|gpt", "value"}…]}` (``ShareGPTRecord``);
/// - `alpaca`: `{"instruction", "input", "output"}` (``AlpacaRecord``) — single-turn, so a
///   multi-turn dialogue puts the earlier turns, labelled, in `input` and the last assistant turn
///   in `output`.
///
/// The record types live in ClarifyCore beside their readers, so `data inspect`, `train` and the
/// writer agree on one layout; a written file reads back as the same dialogues (metadata aside).
public enum ExportFormat: String, Sendable, Codable, CaseIterable {
    case chat
    case sharegpt
    case alpaca

    /// Writes one dialogue in this format to `writer`.
    func write(_ dialogue: Dialogue, to writer: JSONLWriter) throws {
        switch self {
        case .chat: try writer.write(dialogue)
        case .sharegpt: try writer.write(ShareGPTRecord(dialogue))
        case .alpaca: try writer.write(AlpacaRecord(dialogue, instruction: DialogueFormat.instruction))
        }
    }

    /// The dataset format a file of this export reads back as.
    public var datasetFormat: DatasetFormat {
        switch self {
        case .chat: return .chat
        case .sharegpt: return .sharegpt
        case .alpaca: return .alpaca
        }
    }
}

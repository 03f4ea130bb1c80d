import Foundation
import Testing

@testable import LLM

@Suite("streamed decoding")
struct TokenStreamDecoderTests {
    @Test("id-by-id chunks concatenate to decode(ids) and never show a broken character")
    func matchesWholeDecode() throws {
        let tokenizer = try Tokenizer(gguf: GGUFFile(path: Fixtures.smolLM2Path()))
        let corpus = try Fixtures.json([String].self, "Tokenizer/corpus.json")
        var splitCharacters = 0
        for text in corpus {
            var stream = TokenStreamDecoder(tokenizer: tokenizer)
            var chunks: [String] = []
            for id in tokenizer.encode(text) {
                let chunk = stream.append(id)
                if chunk.isEmpty { splitCharacters += 1 }
                chunks.append(chunk)
            }
            chunks.append(stream.finish())
            #expect(chunks.joined() == text, "\(text.debugDescription)")
            #expect(!chunks.contains { $0.contains("\u{FFFD}") }, "\(text.debugDescription)")
        }
        // The corpus has emoji and CJK text that SmolLM2 splits inside characters; the test must see some.
        #expect(splitCharacters > 10)
    }

    @Test("holds back exactly the bytes of an unfinished UTF-8 character")
    func completePrefix() {
        let emoji = Array("a👍".utf8)  // 61 F0 9F 91 8D
        #expect(TokenStreamDecoder.completePrefixLength(emoji) == 5)
        for cut in 2..<5 { #expect(TokenStreamDecoder.completePrefixLength(Array(emoji[..<cut])) == 1) }
        #expect(TokenStreamDecoder.completePrefixLength([]) == 0)
        #expect(TokenStreamDecoder.completePrefixLength([0x80, 0x80, 0x80, 0x80]) == 4)  // malformed: let through
        #expect(TokenStreamDecoder.completePrefixLength([0xC3]) == 0)  // first byte of "é"
    }

    @Test("skips special tokens when asked, and flushes an unfinished character as U+FFFD")
    func specialsAndFlush() throws {
        let tokenizer = try Tokenizer(gguf: GGUFFile(path: Fixtures.smolLM2Path()))
        var stream = TokenStreamDecoder(tokenizer: tokenizer, skipSpecialTokens: true)
        let text = tokenizer.encode("<|im_start|>hi<|im_end|>").map { stream.append($0) }.joined()
        #expect(text == "hi")
        let byteToken = try #require(tokenizer.id(of: String(Character(ByteLevel.characters[0xF0]))))
        #expect(stream.append(byteToken) == "")
        #expect(stream.finish() == "\u{FFFD}")
        #expect(stream.finish() == "")
    }
}

"""Writes tokenizer golden fixtures with Hugging Face `tokenizers` as the reference.

Run from the repository root:  .venv/bin/python Tests/LLMTests/Fixtures/Tokenizer/make_fixtures.py
Needs: pip install tokenizers gguf numpy, and the embedded SmolLM2 GGUF in the cache.

  corpus.json                  the test strings (code, unicode, emoji, whitespace runs, numbers, special tokens)
  smollm2.expected.json        ids for SmolLM2's vocabulary (the GGUF's tokens/merges exported to a
                               tokenizer.json as HuggingFaceTB ships it: Digits(individual) + ByteLevel)
  {gpt2,qwen2,llama3}.tokenizer.json  small BPE vocabularies trained here with each family's
                               pre-tokenizer configuration (as in the GPT-2, Qwen2.5 and Llama-3 tokenizer.json)
  {gpt2,qwen2,llama3}.expected.json   their ids on the corpus
"""
import glob
import json
import os
import random
import sys

import gguf
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                 r"|\s*[\r\n]+|\s+(?!\S)|\s+")
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")

HAND_WRITTEN = [
    "", "a", " ", "  ", "\n", "Hello, world!", "hello world", " leading space", "trailing space ",
    "I'm here, you're there, they've gone, we'll see, he'd know, it's fine, don't",
    "I'M LOUD, YOU'RE LOUD, THEY'VE, WE'LL, HE'D, IT'S, DON'T", "she'S mixed 'Re case 'x 'abc''", "rock 'n' roll",
    "a  b   c    d", "   leading", "trailing   ", "\t\tindented", "\n\n\nfoo", "a \n b", "x\r\n\r\ny", "   \n  ",
    "line1\nline2\n\n\tline4", "tabs\tand\tspaces \t mixed", "ends with newline\n", " \n \n ", "\u00a0nbsp\u00a0here",
    "12345678", "3.14159", "1,000,000", "v2.0.1", " 42", "ab12cd34", "0x1F 0b1010 1e-9", "2026-11-26T23:30:00Z",
    "héllo wörld", "naïve café résumé", "你好，世界", "日本語のテキストです。", "한국어 텍스트", "مرحبا بالعالم",
    "नमस्ते दुनिया", "Привет, мир!", "Καλημέρα κόσμε", "👍🏽 thumbs", "family 👨‍👩‍👧‍👦 emoji", "flags 🇫🇷🇯🇵",
    "combining e\u0301 accent", "ligature ﬁle", "zero\u200bwidth", "full-width １２３ digits", "x² + y³ = z⁴",
    "Roman Ⅻ numerals", "math ∑∫√∞≠≤", "½ ¾ fractions", "emoji only 😀😃😄😁", "mixed中文and English",
    "line\u2028separator", "tab\u000bvertical\u000cform", "\u3000ideographic space", "«quotes» „German“ ‘single’",
    "def f(x):\n    return x ** 2\n", "if (a && b) { return c; }", "for i in range(10):\n\tprint(i)",
    "let xs = [1, 2, 3].map { $0 * 2 }", '{"key": "value", "n": [1, 2.5, null]}', "<div class=\"a\">text</div>",
    "SELECT * FROM t WHERE id = 42;", "#include <stdio.h>\nint main(void) { return 0; }", "a+=1;b-=2;c*=3",
    "    \n    \n    x = 1", "regex: ^[a-z]+\\d{2,}$", "path/to/file_name.py:12:34", "snake_case camelCase PascalCase",
    "<|im_start|>user\nHello<|im_end|>\n", "<|endoftext|>", "text<|endoftext|>more text", "<|im_start|><|im_end|>",
    "<|im_start", "<|endoftext|", "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>assistant\n",
    "!!!???...", "--- *** ___", "''''", "a'b'c", "\"quoted\"", "~`@#$%^&*()", "```python\nprint('hi')\n```",
    # Merge-order and scanner edge cases: long runs (rank ties), digit groups, whitespace before
    # newlines and at the end, contractions next to punctuation, marks and scripts mixed in a word.
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "                ", "\n\n\n\n\n\n\n\n", "\t\t\t\t\t\t\t\t",
    "1234567", "12345678901234567890", "3,14 1.000.000 -42 +7 1e10 0.0001", "x1y22z333w4444",
    "a   \n   b", "trailing spaces   \n", "  \r\n  ", "ends with spaces   ", " \t \n \t ",
    "don't.", "(it's)", "'s'S'T'RE'Ve", "it''s", "O'Neil's dog's", "'ll've'd", "rock'n'roll's",
    "e\u0301e\u0301e\u0301", "Ａｂｃ１２３", "ß ẞ ﬃ ǅ", "א ב ג 123 abc", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛", "😀😀😀😀😀😀",
    "👩🏽‍💻 codes", "tab\there\n\tthere", "\u00a0\u00a0x\u00a0", "x\u2009y\u202fz", "a\u0000b\u001fc\u007fd",
    "<|im_end|><|im_end|>", " <|im_start|> ", "<|im_start|>\n<|im_start|>", "<<|endoftext|>>",
    "    def method(self, *args, **kwargs) -> Optional[Dict[str, Any]]:",
]


def code_chunks(files, count, rng):
    chunks = []
    for path in files:
        with open(path, encoding="utf-8", errors="ignore") as f:
            lines = f.read().splitlines(keepends=True)
        if len(lines) < 10:
            continue
        for _ in range(4):
            start = rng.randrange(0, len(lines) - 8)
            chunks.append("".join(lines[start:start + rng.randint(1, 6)]))
            if len(chunks) == count:
                return chunks
    return chunks


def random_strings(count, rng):
    pools = ["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " \t\n\r",
             ".,;:!?'\"()[]{}<>/\\|-_+=*&^%$#@~`", "éèêëàâäôöûüçñßøå", "αβγδεζηθικλμνξοπρστυφχψω", "中文字符测试漢字",
             "😀🎉🚀✨👍🏽❤️", "١٢٣٤٥", "\u00a0\u2003\u3000"]
    out = []
    for _ in range(count):
        n = rng.randint(1, 40)
        out.append("".join(rng.choice(rng.choice(pools)) for _ in range(n)))
    return out


def build_corpus():
    rng = random.Random(20261126)
    stdlib = sorted(glob.glob("/usr/lib/python3*/*.py"))
    corpus = HAND_WRITTEN + code_chunks(stdlib[1::7], 80, rng) + random_strings(60, rng)
    return corpus, stdlib[::7]


def training_text(files):
    text = []
    for path in files[:60]:
        with open(path, encoding="utf-8", errors="ignore") as f:
            text.append(f.read())
    text.append(" ".join(HAND_WRITTEN) * 3)
    return text


def smollm2_tokenizer():
    home = os.environ.get("CLARIFYCODER_HOME", os.path.expanduser("~/.cache/clarifycoder"))
    r = gguf.GGUFReader(os.path.join(home, "assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))
    field = r.fields["tokenizer.ggml.tokens"]
    tokens = [bytes(field.parts[i]).decode() for i in field.data]
    field = r.fields["tokenizer.ggml.token_type"]
    types = [int(field.parts[i][0]) for i in field.data]
    field = r.fields["tokenizer.ggml.merges"]
    merges = [tuple(bytes(field.parts[i]).decode().split(" ", 1)) for i in field.data]
    tok = Tokenizer(models.BPE(vocab={t: i for i, t in enumerate(tokens)}, merges=merges))
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True),
                                                 pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)])
    tok.decoder = decoders.ByteLevel()
    from tokenizers import AddedToken
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t, k in zip(tokens, types) if k == 3])
    return tok


def trained_tokenizer(style, text):
    tok = Tokenizer(models.BPE(ignore_merges=(style == "llama3")))
    if style == "gpt2":
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    else:
        pattern = QWEN2_PATTERN if style == "qwen2" else LLAMA3_PATTERN
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    if style == "qwen2":
        tok.normalizer = normalizers.NFC()
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=3000, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(text, trainer=trainer)
    return tok


def expected(tok, corpus):
    return [tok.encode(s, add_special_tokens=False).ids for s in corpus]


def main():
    corpus, train_files = build_corpus()
    assert len(corpus) >= 200, len(corpus)
    with open(os.path.join(HERE, "corpus.json"), "w") as f:
        json.dump(corpus, f, ensure_ascii=False, indent=0)
    smol = smollm2_tokenizer()
    with open(os.path.join(HERE, "smollm2.expected.json"), "w") as f:
        json.dump(expected(smol, corpus), f)
    if len(sys.argv) > 1:  # write the full SmolLM2 tokenizer.json for benchmarks (not committed)
        smol.save(sys.argv[1])
    text = training_text(train_files)
    for style in ["gpt2", "qwen2", "llama3"]:
        tok = trained_tokenizer(style, text)
        tok.save(os.path.join(HERE, f"{style}.tokenizer.json"))
        with open(os.path.join(HERE, f"{style}.expected.json"), "w") as f:
            json.dump(expected(tok, corpus), f)
    print(len(corpus), "strings")


if __name__ == "__main__":
    main()

"""Baseline for bench/tokenizer.sh: Hugging Face `tokenizers` encoding the same text, one thread."""
import json
import os
import sys
import time

os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["RAYON_NUM_THREADS"] = "1"
from tokenizers import Tokenizer  # noqa: E402

tokenizer_json, text_path, repeats, ids_out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
tok = Tokenizer.from_file(tokenizer_json)
documents = json.load(open(text_path, encoding="utf-8"))
times = []
for _ in range(repeats):
    start = time.perf_counter()
    encodings = tok.encode_batch(documents, add_special_tokens=False)
    times.append(time.perf_counter() - start)
ids = [i for e in encodings for i in e.ids]
times.sort()
median = times[len(times) // 2]
with open(ids_out, "w") as f:
    f.write("\n".join(map(str, ids)))
size = sum(len(d.encode("utf-8")) for d in documents)
print(json.dumps({"seconds": median, "bytes": size, "tokens": len(ids), "mb_per_s": size / median / 1e6}))

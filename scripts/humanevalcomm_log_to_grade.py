#!/usr/bin/env python3
"""Converts a HumanEvalComm run log (`log/print/*.log_1` in jie-jw-wu/human-eval-comm) into the input of
`clarifycoder grade`: one JSON object per graded item with `id`, `original`, `modified`, `response` and
`reference_grade` (GPT-3.5's `question_quality_str`).

Each item of the log is a block that starts with `****** new problem (name=HumanEval/N input_prompt=promptK)`
and, when the evaluator ran, holds `PROMPT_EVALUATE_QUESTIONS=...` with three sections — `### Questions:`,
`### Modified Problem Description:`, `### Original Description:` — then `Completion=` (GPT-3.5's reply) and
`question_quality_str N`. The texts are taken from the evaluator's prompt, so `response` is exactly what
GPT-3.5 graded. The log's format puts one space after each section header and one space plus a newline
before the next; those separators are removed and nothing else is changed.

Usage: humanevalcomm_log_to_grade.py LOG OUT.jsonl [--unfenced]
Items without a grade (the evaluator did not run) are skipped and counted on stderr. With --unfenced only
responses without a ``` fence are kept (the candidates for `grade --only questions`, a file small enough to
commit; `grade`'s own detector then sets unfenced code apart). Use the
deepseek-llm-7b-chat log for calibration only; the other logs are reserved for an independent check.
"""

import json
import re
import sys

HEADER = re.compile(r"\*{6} new problem \(name=(\S+) input_prompt=(\S+)\) \*{6}")
QUESTIONS = "\n ### Questions: "
MODIFIED = " \n ### Modified Problem Description: "
ORIGINAL = "\n \n ### Original Description: "
COMPLETION = "\n!!!!!!!Completion="
GRADE = re.compile(r"^!!!!!!!question_quality_str (\S*)\s*$", re.MULTILINE)


def between(text, start, end, where):
    i = text.find(start)
    if i < 0:
        raise ValueError(f"{where}: no {start.strip()!r}")
    i += len(start)
    j = text.find(end, i)
    if j < 0:
        raise ValueError(f"{where}: no {end.strip()!r} after {start.strip()!r}")
    return text[i:j], j


def items(log):
    headers = list(HEADER.finditer(log))
    for n, match in enumerate(headers):
        block = log[match.end() : headers[n + 1].start() if n + 1 < len(headers) else len(log)]
        name, variant = match.group(1), match.group(2)
        where = f"{name} {variant} (offset {match.start()})"
        if "PROMPT_EVALUATE_QUESTIONS=" not in block:
            yield None
            continue
        prompt = block[block.index("PROMPT_EVALUATE_QUESTIONS=") :]
        response, end = between(prompt, QUESTIONS, MODIFIED, where)
        modified, end2 = between(prompt, MODIFIED, ORIGINAL, where)
        original, _ = between(prompt, ORIGINAL, COMPLETION, where)
        grade = GRADE.search(block)
        if grade is None or grade.group(1) not in ("1", "2", "3"):
            yield None
            continue
        yield {
            "id": f"{name}/{variant}",
            "original": original.rstrip(" ").removesuffix("\n \n").rstrip() + "\n",
            "modified": modified.rstrip() + "\n",
            "response": response.rstrip(" "),
            "reference_grade": int(grade.group(1)),
        }


def main(argv):
    unfenced = "--unfenced" in argv
    argv = [a for a in argv if a != "--unfenced"]
    if len(argv) != 3:
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        log = f.read()
    written = skipped = 0
    with open(argv[2], "w", encoding="utf-8") as out:
        for item in items(log):
            if item is None:
                skipped += 1
                continue
            if unfenced and "```" in item["response"]:
                continue
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            written += 1
    print(f"{written} graded items written, {skipped} without a grade skipped", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)

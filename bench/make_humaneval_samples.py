"""Writes the 328 samples of bench/sandbox.sh: HumanEval's 164 canonical solutions, then 164 wrong
ones made deterministically from them (no randomness, so every run checks the same samples):

- even problems: every `return <expr>` becomes `return None and <expr>` (runs, returns None);
- odd problems: the body first raises ValueError;
- problems 5 and 87: the body first loops forever (two timeouts, to compare that verdict too).

usage: make_humaneval_samples.py HumanEval.jsonl.gz OUT.jsonl
"""
import gzip
import json
import re
import sys

source, target = sys.argv[1], sys.argv[2]
opener = gzip.open if source.endswith('.gz') else open
with opener(source, 'rt', encoding='utf-8') as handle:
    problems = [json.loads(line) for line in handle if line.strip()]

samples = [{'task_id': p['task_id'], 'completion': p['canonical_solution']} for p in problems]
for index, problem in enumerate(problems):
    body = problem['canonical_solution']
    if index % 82 == 5:
        wrong = '    while True:\n        pass\n' + body
    elif index % 2 == 0 and re.search(r'\breturn (?=\S)', body):
        wrong = re.sub(r'\breturn (?=\S)', 'return None and ', body)
    else:
        wrong = "    raise ValueError('deliberately broken')\n" + body
    samples.append({'task_id': problem['task_id'], 'completion': wrong})

with open(target, 'w', encoding='utf-8') as handle:
    for sample in samples:
        handle.write(json.dumps(sample) + '\n')

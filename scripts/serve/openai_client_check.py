"""The official `openai` client against `clarifycoder serve` (run by scripts/serve/clients.sh).

Usage: python openai_client_check.py BASE_URL API_KEY — prints "ok NAME" or "FAIL NAME: why" per check.
"""
import sys

import openai
from openai import OpenAI

base_url, key = sys.argv[1], sys.argv[2]
client = OpenAI(base_url=base_url, api_key=key, max_retries=0, timeout=120)
MESSAGES = [{"role": "user", "content": "Write a function that adds two numbers."}]


def check(name, function):
    try:
        function()
        print(f"ok    openai: {name}")
    except Exception as error:  # every failure is reported, none stops the others
        print(f"FAIL  openai: {name}: {type(error).__name__}: {error}")


def models():
    ids = [m.id for m in client.models.list()]
    assert ids == ["qwen2-tiny", "tuned"], ids


def whole_and_streamed():
    whole = client.chat.completions.create(model="qwen2-tiny", messages=MESSAGES, temperature=0, max_tokens=8)
    text = whole.choices[0].message.content
    assert isinstance(text, str) and whole.choices[0].finish_reason in ("stop", "length")
    assert 1 <= whole.usage.completion_tokens <= 8, whole.usage
    stream = client.chat.completions.create(
        model="qwen2-tiny", messages=MESSAGES, temperature=0, max_tokens=8, stream=True,
        stream_options={"include_usage": True})
    pieces, usage = [], None
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
    assert "".join(pieces) == text, ("".join(pieces), text)
    assert usage is not None and usage.completion_tokens == whole.usage.completion_tokens


def adapter():
    base = client.chat.completions.create(model="qwen2-tiny", messages=MESSAGES, temperature=0, max_tokens=8)
    tuned = client.chat.completions.create(model="tuned", messages=MESSAGES, temperature=0, max_tokens=8)
    assert tuned.model == "tuned"
    assert tuned.choices[0].message.content != base.choices[0].message.content


def completions():
    whole = client.completions.create(model="qwen2-tiny", prompt="def add(a, b):", temperature=0, max_tokens=6)
    streamed = client.completions.create(
        model="qwen2-tiny", prompt="def add(a, b):", temperature=0, max_tokens=6, stream=True)
    assert "".join(c.choices[0].text for c in streamed if c.choices) == whole.choices[0].text


def seeded_sampling():
    kwargs = dict(model="qwen2-tiny", messages=MESSAGES, temperature=1.0, seed=11, max_tokens=6, n=2)
    first, second = client.chat.completions.create(**kwargs), client.chat.completions.create(**kwargs)
    assert [c.message.content for c in first.choices] == [c.message.content for c in second.choices]
    assert [c.index for c in first.choices] == [0, 1]


def expect(error_type, status, code, call):
    try:
        call()
    except error_type as error:
        assert error.status_code == status, error.status_code
        body = error.body if isinstance(error.body, dict) else {}
        assert code is None or body.get("code") == code, error.body
        return
    raise AssertionError(f"expected {error_type.__name__}")


def errors():
    expect(openai.NotFoundError, 404, "model_not_found",
           lambda: client.chat.completions.create(model="gpt-9", messages=MESSAGES))
    expect(openai.BadRequestError, 400, "context_length_exceeded",
           lambda: client.chat.completions.create(
               model="qwen2-tiny", messages=[{"role": "user", "content": "word " * 400}]))
    expect(openai.BadRequestError, 400, None,
           lambda: client.chat.completions.create(model="qwen2-tiny", messages=MESSAGES, top_p=0))
    wrong = OpenAI(base_url=base_url, api_key="not-the-key", max_retries=0)
    expect(openai.AuthenticationError, 401, "invalid_api_key", lambda: wrong.models.list())


check("GET /v1/models lists the base and the adapter", models)
check("a chat completion, whole and streamed, with usage", whole_and_streamed)
check("`model` picks the adapter", adapter)
check("completions, whole and streamed", completions)
check("seeded sampling is reproducible, n choices indexed", seeded_sampling)
check("errors raise the client's typed exceptions", errors)

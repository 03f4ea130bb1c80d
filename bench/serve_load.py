"""Load generator for bench/serve.sh: an OpenAI-compatible server under concurrent streaming clients.

  python serve_load.py throughput URL MODEL CLIENTS NEW_TOKENS   -> one JSON line: tokens/s, TTFT, errors
  python serve_load.py robustness URL MODEL PID                  -> one JSON line: how every bad client fared

Raw HTTP/1.1 over asyncio streams (no client library), so both servers see the same bytes and a
disconnect is a real socket close. Tokens are counted from the usage the server reports when it
does, else one per streamed content piece (both servers send one piece per token).
"""
import asyncio
import json
import os
import statistics
import sys
import time
from urllib.parse import urlparse

PROMPT = ("Write a complete Python module that implements a doubly linked list class with insert, delete, "
          "search, reverse and sort methods, each with a docstring and type hints, followed by unit tests.")


async def request(url, body, *, stream, read_delay=0.0, stop_after=None, raw=None):
    """POSTs to URL; returns (status, pieces, ttft_seconds, usage_tokens, error). `raw` sends those bytes."""
    target = urlparse(url)
    payload = raw if raw is not None else json.dumps(body).encode()
    start = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection(target.hostname, target.port)
    except OSError as error:
        return 0, 0, None, None, f"connect: {error}"
    try:
        writer.write((f"POST {target.path} HTTP/1.1\r\nHost: {target.hostname}\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n").encode() + payload)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        chunked = b"transfer-encoding: chunked" in head.lower()
        length = next((int(line.split(b":", 1)[1]) for line in head.lower().split(b"\r\n")
                       if line.startswith(b"content-length:")), None)

        async def body_parts():
            """The body as it arrives, chunked transfer coding undone."""
            if chunked:
                while True:
                    if read_delay:
                        await asyncio.sleep(read_delay)
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
                    if size == 0:
                        return
                    yield await reader.readexactly(size)
                    await reader.readexactly(2)
            elif length is not None:
                yield await reader.readexactly(length)
            else:
                while data := await reader.read(65536):
                    yield data

        pieces, ttft, usage, buffer = 0, None, None, b""
        async for data in body_parts():
            buffer += data
            while stream and b"\n\n" in buffer:
                event, buffer = buffer.split(b"\n\n", 1)
                for line in event.split(b"\n"):
                    line = line.strip()
                    if not line.startswith(b"data: ") or line == b"data: [DONE]":
                        continue
                    try:
                        chunk = json.loads(line[6:])
                    except ValueError:
                        continue
                    if chunk.get("usage"):
                        usage = chunk["usage"].get("completion_tokens")
                    for choice in chunk.get("choices") or []:
                        if (choice.get("delta") or {}).get("content"):
                            pieces += 1
                            if ttft is None:
                                ttft = time.perf_counter() - start
                    if stop_after is not None and pieces >= stop_after:
                        return status, pieces, ttft, usage, None
        if not stream:
            try:
                answer = json.loads(buffer)
            except ValueError:
                answer = {}
            usage = (answer.get("usage") or {}).get("completion_tokens")
            return status, 0, None, usage, None if answer else "no JSON body"
        return status, pieces, ttft, usage, None
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as error:
        return 0, 0, None, None, f"{type(error).__name__}: {error}"
    finally:
        writer.close()


def chat(model, max_tokens, stream=True, content=PROMPT):
    body = {"model": model, "messages": [{"role": "user", "content": content}], "temperature": 0,
            "max_tokens": max_tokens, "stream": stream}
    if stream:
        body["stream_options"] = {"include_usage": True}
    return body


async def throughput(url, model, clients, new_tokens):
    start = time.perf_counter()
    results = await asyncio.gather(*[
        request(url + "/v1/chat/completions", chat(model, new_tokens), stream=True) for _ in range(clients)])
    seconds = time.perf_counter() - start
    tokens = sum((usage or pieces) for status, pieces, _, usage, error in results if status == 200 and not error)
    ttfts = sorted(t for _, _, t, _, _ in results if t is not None)
    errors = [e or f"status {s}" for s, _, _, _, e in results if s != 200 or e]
    pct = lambda q: ttfts[min(len(ttfts) - 1, int(q * len(ttfts)))] * 1000 if ttfts else None
    print(json.dumps({"tokens": tokens, "seconds": round(seconds, 3), "tokens_per_s": round(tokens / seconds, 2),
                      "ttft_p50_ms": pct(0.5), "ttft_p99_ms": pct(0.99), "errors": len(errors),
                      "first_error": errors[0] if errors else None}))


def rss_mb(pid):
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def robustness(url, model, pid):
    chat_url, report = url + "/v1/chat/completions", {}
    rss_before = rss_mb(pid)[0]
    proper = lambda status: status == 200 or 400 <= status < 500  # answered, or refused with a 4xx

    # Slow readers and clients that leave mid-stream, side by side.
    slow = [request(chat_url, chat(model, 48), stream=True, read_delay=0.05) for _ in range(8)]
    leavers = [request(chat_url, chat(model, 256), stream=True, stop_after=3) for _ in range(16)]
    results = await asyncio.gather(*slow, *leavers)
    report["slow_readers_ok"] = sum(1 for s, p, *_ in results[:8] if s == 200 and p > 0)
    report["disconnects_ok"] = sum(1 for s, p, *_ in results[8:] if s == 200 and p >= 3)

    # 1 MiB bodies (over the default limit by one byte, and a valid JSON body of about 1 MiB), and invalid UTF-8.
    over = b'{"messages":[{"role":"user","content":"' + b"a" * (1 << 20) + b'"}]}'
    near = json.dumps(chat(model, 4, stream=False, content="word " * ((1 << 20) // 5 - 40))).encode()
    bad_utf8 = b'{"model":"' + model.encode() + b'","messages":[{"role":"user","content":"\xff\xfe\xc3"}]}'
    big = await asyncio.gather(request(chat_url, None, stream=False, raw=over),
                               request(chat_url, None, stream=False, raw=near),
                               request(chat_url, None, stream=False, raw=bad_utf8))
    report["body_over_1mib_status"] = big[0][0]
    report["body_near_1mib_status"] = big[1][0]
    report["invalid_utf8_status"] = big[2][0]

    # 1,000 requests, 32 at a time: small completions (chat and raw, streamed and whole) mixed with bad ones.
    semaphore = asyncio.Semaphore(32)
    async def one(i):
        async with semaphore:
            if i % 10 == 0:
                return await request(chat_url, None, stream=False, raw=b'{"messages": [')
            if i % 10 == 1:
                return await request(chat_url, {"model": "no-such-model", "messages": []}, stream=False)
            if i % 10 == 2:
                return await request(chat_url, chat(model, 2, stream=i % 20 == 2, content=f"Say {i}."), stream=i % 20 == 2)
            # Most are short raw completions: each costs one small prefill and a token or two.
            body = {"model": model, "prompt": f"{i} + {i} =", "max_tokens": 2, "temperature": 0, "stream": i % 2 == 0}
            return await request(url + "/v1/completions", body, stream=i % 2 == 0)
    many = await asyncio.gather(*[one(i) for i in range(1000)])
    report["requests"] = len(many)
    report["answered_or_refused"] = sum(1 for s, _, _, _, e in many if proper(s) and not e)
    statuses = {}
    for s, *_ in many:
        statuses[str(s)] = statuses.get(str(s), 0) + 1
    report["statuses"] = statuses
    health = await request(url + "/v1/chat/completions", chat(model, 2, stream=False), stream=False)
    report["alive_after"] = health[0] == 200
    rss_after, peak = rss_mb(pid)
    report.update(rss_before_mb=round(rss_before, 1), rss_after_mb=round(rss_after, 1), rss_peak_mb=round(peak, 1))
    bad = (8 - report["slow_readers_ok"]) + (16 - report["disconnects_ok"]) + (1000 - report["answered_or_refused"])
    bad += (report["body_over_1mib_status"] != 413) + (not proper(report["body_near_1mib_status"]))
    bad += (report["invalid_utf8_status"] != 400) + (not report["alive_after"])
    report["errors"] = bad
    print(json.dumps(report))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "throughput":
        asyncio.run(throughput(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
    elif mode == "robustness":
        asyncio.run(robustness(sys.argv[2], sys.argv[3], int(sys.argv[4])))
    else:
        raise SystemExit(__doc__)

"""The chat page in headless Chromium (run by scripts/serve/page.sh).

Usage: python page_check.py BASE_URL CHROMIUM OUT_DIR — prints "ok NAME" or "FAIL NAME: why" per check
and writes OUT_DIR/desktop.png and OUT_DIR/phone.png.
"""
import json
import sys

from playwright.sync_api import sync_playwright

base_url, chromium, out = sys.argv[1], sys.argv[2], sys.argv[3]
QUESTION = "Which order should the list be sorted in: ascending or descending? And may it hold duplicates?"
CODE = "Here it is:\n\n```python\ndef sort_numbers(values):\n    # ascending, duplicates kept\n    return sorted(values)\n```"


def sse(text):
    """A canned streamed reply, split into pieces as a server sends them."""
    events = [{"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}]
    events += [{"choices": [{"index": 0, "delta": {"content": text[i:i + 7]}}]} for i in range(0, len(text), 7)]
    events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    return "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"


def check(name, condition, detail=""):
    print(f"ok    page: {name}" if condition else f"FAIL  page: {name}: {detail}")


def send(page, text):
    page.fill("#input", text)
    page.press("#input", "Enter")
    page.wait_for_function("() => !document.querySelector('#send').disabled", timeout=120_000)


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + "/")
    page.wait_for_function("() => document.querySelectorAll('#model option').length > 0", timeout=30_000)
    options = page.eval_on_selector_all("#model option", "os => os.map(o => o.value)")
    check("the picker lists the base model and the adapter", options == ["qwen2-tiny", "tuned"], options)

    # A real streamed answer from the server.
    page.select_option("#model", "tuned")
    send(page, "Write a function that adds two numbers.")
    bubbles = page.eval_on_selector_all(".message.assistant", "bs => bs.length")
    status = page.text_content("#status") or ""
    check("a real answer streams in and finishes", bubbles == 1 and "pieces" in status, f"{bubbles} {status!r}")

    # Canned replies: how a question and code are shown.
    replies = [QUESTION, CODE]
    page.route("**/v1/chat/completions", lambda route: route.fulfill(
        status=200, headers={"Content-Type": "text/event-stream"}, body=sse(replies.pop(0))))
    send(page, "Sort the numbers.")
    question = page.query_selector_all(".message.question")
    check("a clarifying question is shown as a question", len(question) == 1
          and question[0].query_selector(".who").text_content() == "Clarifying question")
    send(page, "Ascending, keep duplicates.")
    keywords = page.eval_on_selector_all("pre.code .tok-kw", "ks => ks.map(k => k.textContent)")
    comments = page.eval_on_selector_all("pre.code .tok-com", "cs => cs.length")
    check("code is shown as highlighted code", "def" in keywords and "return" in keywords and comments == 1, keywords)
    check("the code answer is not marked as a question", len(page.query_selector_all(".message.question")) == 1)
    page.screenshot(path=f"{out}/desktop.png")

    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    check("at phone width nothing overflows sideways", overflow <= 0, f"{overflow} px")
    composer = page.evaluate("() => document.querySelector('#send').getBoundingClientRect().bottom <= window.innerHeight")
    check("at phone width the send button is on screen", composer)
    page.screenshot(path=f"{out}/phone.png")
    check("the page ran without script errors", not errors, errors)
    browser.close()

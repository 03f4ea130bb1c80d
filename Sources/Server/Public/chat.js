// The chat page of `clarifycoder serve`: streams answers from /v1/chat/completions, shows a
// clarifying question as a question and code as highlighted code. No framework, no build step;
// text from the model only ever reaches the page through textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const log = $("log"), input = $("input"), statusLine = $("status");
const modelSelect = $("model"), apiKey = $("api-key");
let history = [];
let controller = null;

apiKey.value = localStorage.getItem("clarifycoder.apiKey") || "";
apiKey.addEventListener("change", () => { localStorage.setItem("clarifycoder.apiKey", apiKey.value); loadModels(); });

function headers() {
  const h = { "Content-Type": "application/json" };
  if (apiKey.value) h["Authorization"] = "Bearer " + apiKey.value;
  return h;
}

async function errorText(response) {
  try { return (await response.json()).error.message; } catch (_) { return response.status + " " + response.statusText; }
}

async function loadModels() {
  try {
    const response = await fetch("/v1/models", { headers: headers() });
    if (!response.ok) { statusLine.textContent = await errorText(response); return; }
    const list = (await response.json()).data;
    const chosen = modelSelect.value;
    modelSelect.replaceChildren(...list.map((m) => {
      const option = document.createElement("option");
      option.value = m.id;
      option.textContent = m.parent ? m.id + " (adapter on " + m.parent + ")" : m.id;
      return option;
    }));
    if (list.some((m) => m.id === chosen)) modelSelect.value = chosen;
    statusLine.textContent = "";
  } catch (error) {
    statusLine.textContent = "cannot reach the server: " + error.message;
  }
}

// --- Rendering: fenced code blocks, inline code, paragraphs. ---

const PY_KEYWORDS = new Set(("False None True and as assert async await break class continue def del elif else except " +
  "finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case " +
  "self print len range int str float list dict set tuple bool").split(" "));

// One regular expression, one alternative per token kind; anything else is plain text.
const TOKEN = /(#[^\n]*|\/\/[^\n]*)|("""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)|(\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)(?=\s*\()|([A-Za-z_][A-Za-z0-9_]*)/g;

function highlight(code, into) {
  let last = 0;
  for (const match of code.matchAll(TOKEN)) {
    if (match.index > last) into.append(code.slice(last, match.index));
    let kind = null;
    if (match[1]) kind = "com";
    else if (match[2]) kind = "str";
    else if (match[3]) kind = "num";
    else if (match[4]) kind = PY_KEYWORDS.has(match[4]) ? "kw" : "fn";
    else if (match[5] && PY_KEYWORDS.has(match[5])) kind = "kw";
    if (kind) {
      const span = document.createElement("span");
      span.className = "tok-" + kind;
      span.textContent = match[0];
      into.append(span);
    } else {
      into.append(match[0]);
    }
    last = match.index + match[0].length;
  }
  if (last < code.length) into.append(code.slice(last));
}

// Splits a reply into text and ``` fenced blocks (an unclosed fence while streaming is code too).
function segments(text) {
  const parts = [];
  const fence = /```([\w+-]*)[^\n]*\n?([\s\S]*?)(?:```|$)/g;
  let last = 0;
  for (const match of text.matchAll(fence)) {
    if (match.index > last) parts.push({ kind: "text", text: text.slice(last, match.index) });
    parts.push({ kind: "code", lang: match[1] || "code", text: match[2].replace(/\n$/, "") });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

function renderText(text, into) {
  for (const block of text.split(/\n{2,}/)) {
    if (!block.trim()) continue;
    const p = document.createElement("p");
    block.split(/(`[^`\n]+`)/).forEach((piece) => {
      if (/^`[^`\n]+`$/.test(piece)) {
        const code = document.createElement("code");
        code.className = "inline";
        code.textContent = piece.slice(1, -1);
        p.append(code);
      } else {
        p.append(piece);
      }
    });
    into.append(p);
  }
}

// A reply without code that asks something is a clarifying question (as the evaluation reads it).
function isQuestion(text) {
  return !/```/.test(text) && /\?/.test(text);
}

function render(bubble, text, done) {
  const body = bubble.querySelector(".body");
  body.replaceChildren();
  for (const part of segments(text)) {
    if (part.kind === "code") {
      const pre = document.createElement("pre");
      pre.className = "code";
      const label = document.createElement("span");
      label.className = "lang";
      label.textContent = part.lang;
      const code = document.createElement("code");
      highlight(part.text, code);
      pre.append(label, code);
      body.append(pre);
    } else {
      renderText(part.text, body);
    }
  }
  const question = done && isQuestion(text);
  bubble.classList.toggle("question", question);
  bubble.querySelector(".who").textContent = question ? "Clarifying question" : "Assistant";
  body.classList.toggle("cursor", !done);
}

function addBubble(role, text) {
  $("hint")?.remove();
  const bubble = document.createElement("article");
  bubble.className = "message " + role;
  const who = document.createElement("div");
  who.className = "who";
  who.textContent = role === "user" ? "You" : role === "error" ? "Error" : "Assistant";
  const body = document.createElement("div");
  body.className = "body";
  bubble.append(who, body);
  log.append(bubble);
  if (role === "assistant") render(bubble, text, false); else renderText(text, body);
  log.scrollTop = log.scrollHeight;
  return bubble;
}

// --- Sending and streaming. ---

function busy(on) {
  $("send").disabled = on;
  $("stop").hidden = !on;
}

async function send(text) {
  history.push({ role: "user", content: text });
  addBubble("user", text);
  const bubble = addBubble("assistant", "");
  let reply = "";
  controller = new AbortController();
  busy(true);
  statusLine.textContent = "";
  const started = performance.now();
  let tokens = 0;
  try {
    const body = {
      model: modelSelect.value || undefined, messages: history, stream: true,
      temperature: Number($("temperature").value),
    };
    // Left empty, the server answers up to the end of the context.
    if ($("max-tokens").value) body.max_tokens = Number($("max-tokens").value);
    const response = await fetch("/v1/chat/completions", {
      method: "POST", headers: headers(), body: JSON.stringify(body), signal: controller.signal,
    });
    if (!response.ok) throw new Error(await errorText(response));
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!event.startsWith("data: ")) continue;
        const data = event.slice(6);
        if (data === "[DONE]") continue;
        const chunk = JSON.parse(data);
        if (chunk.error) throw new Error(chunk.error.message);
        const delta = chunk.choices?.[0]?.delta?.content;
        if (delta) {
          reply += delta;
          tokens += 1;
          render(bubble, reply, false);
          log.scrollTop = log.scrollHeight;
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    statusLine.textContent = tokens + " pieces in " + seconds.toFixed(1) + " s";
  } catch (error) {
    if (error.name === "AbortError") statusLine.textContent = "stopped";
    else addBubble("error", error.message);
  } finally {
    render(bubble, reply, true);
    if (reply) {
      history.push({ role: "assistant", content: reply });
    } else {
      bubble.remove();
      history.pop();
    }
    controller = null;
    busy(false);
  }
}

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text || controller) return;
  input.value = "";
  send(text);
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("composer").requestSubmit(); }
});
$("stop").addEventListener("click", () => controller?.abort());
$("new-chat").addEventListener("click", () => {
  controller?.abort();
  history = [];
  log.replaceChildren();
  statusLine.textContent = "";
});

loadModels();
input.focus();

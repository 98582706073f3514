/**
 * A small OpenAI-compatible HTTP server on 127.0.0.1 (random port) for tests of the LLM classifier: it answers
 * `POST /v1/responses` and `POST /v1/chat/completions` with the response shapes @ai-sdk/openai parses (structured
 * output as the assistant's text, usage tokens included), driven by a per-test handler, and records every request.
 * No internet, no real model.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type FakeApi = "responses" | "chat";

export interface FakeRequest {
  api: FakeApi;
  /** The parsed JSON body as the SDK sent it. */
  body: Record<string, unknown>;
  model: string;
  /** System/developer messages (and Responses `instructions`), joined. */
  systemText: string;
  /** User messages, joined. */
  userText: string;
  /** Every message in order as "[role]\ntext", joined by blank lines. */
  messagesText: string;
  /** The JSON schema of the requested structured output, if any. */
  schema: Record<string, unknown> | null;
}

export interface FakeUsage {
  input: number;
  output: number;
}

export type FakeReply =
  /** The model answers with `JSON.stringify(value)` as its text. */
  | { kind: "json"; value: unknown; usage?: FakeUsage }
  /** The model answers with this text verbatim (malformed JSON, prose, …). */
  | { kind: "raw"; body: string; usage?: FakeUsage }
  /** An HTTP error with an OpenAI-style error body. */
  | { kind: "status"; status: number; message?: string; headers?: Record<string, string> }
  /** Waits, then replies (or never replies if the client gives up first). */
  | { kind: "delay"; ms: number; then: FakeReply }
  /** Drops the connection without an answer (a network error for the client). */
  | { kind: "hangup" };

export type FakeHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAI {
  /** Base URL including `/v1`, for createOpenAI({ baseURL }). */
  url: string;
  requests: FakeRequest[];
  setHandler(handler: FakeHandler): void;
  /** Forgets recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => (part && typeof part === "object" && "text" in part && typeof part.text === "string" ? part.text : ""))
      .join("");
  }
  return "";
}

/** The messages of either API as [role, text] pairs. */
function messagesOf(api: FakeApi, body: Json): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (api === "responses") {
    if (typeof body.instructions === "string") out.push(["system", body.instructions]);
    const input = body.input;
    if (typeof input === "string") out.push(["user", input]);
    else if (Array.isArray(input)) {
      for (const item of input as Json[]) if (typeof item.role === "string") out.push([item.role, textOf(item.content)]);
    }
  } else {
    for (const m of (body.messages ?? []) as Json[]) out.push([String(m.role), textOf(m.content)]);
  }
  return out;
}

function schemaOf(api: FakeApi, body: Json): Json | null {
  if (api === "responses") {
    const format = (body.text as Json | undefined)?.format as Json | undefined;
    return format?.type === "json_schema" ? ((format.schema as Json) ?? null) : null;
  }
  const rf = body.response_format as Json | undefined;
  return rf?.type === "json_schema" ? (((rf.json_schema as Json | undefined)?.schema as Json) ?? null) : null;
}

let seq = 0;

function successBody(api: FakeApi, model: string, text: string, usage: FakeUsage): Json {
  seq++;
  const created = Math.floor(Date.now() / 1000);
  if (api === "responses") {
    return {
      id: `resp_fake_${seq}`,
      object: "response",
      created_at: created,
      status: "completed",
      model,
      output: [
        {
          type: "message",
          id: `msg_fake_${seq}`,
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text, annotations: [] }],
        },
      ],
      incomplete_details: null,
      usage: {
        input_tokens: usage.input,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: usage.output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: usage.input + usage.output,
      },
    };
  }
  return {
    id: `chatcmpl-fake-${seq}`,
    object: "chat.completion",
    created,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const defaultHandler: FakeHandler = () => ({ kind: "status", status: 500, message: "no handler set for this test" });

export async function startFakeOpenAI(handler: FakeHandler = defaultHandler): Promise<FakeOpenAI> {
  let current = handler;
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number, res: ServerResponse) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!res.destroyed);
      }, ms);
      timers.add(timer);
      // The client gave up (timeout): stop waiting.
      res.once("close", () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      });
    });

  async function reply(r: FakeReply, api: FakeApi, model: string, req: FakeRequest, res: ServerResponse): Promise<void> {
    switch (r.kind) {
      case "delay":
        if (await wait(r.ms, res)) await reply(r.then, api, model, req, res);
        return;
      case "hangup":
        res.socket?.destroy();
        return;
      case "status":
        send(res, r.status, { error: { message: r.message ?? `fake error ${r.status}`, type: r.status >= 500 ? "server_error" : "invalid_request_error", param: null, code: null } }, r.headers);
        return;
      case "json":
      case "raw": {
        const text = r.kind === "json" ? JSON.stringify(r.value) : r.body;
        const usage = r.usage ?? { input: Math.ceil(req.messagesText.length / 4), output: Math.ceil(text.length / 4) };
        send(res, 200, successBody(api, model, text, usage));
        return;
      }
    }
  }

  const server = createServer(async (req, res) => {
    try {
      const path = (req.url ?? "").split("?")[0];
      const api: FakeApi | null = path === "/v1/responses" ? "responses" : path === "/v1/chat/completions" ? "chat" : null;
      if (req.method !== "POST" || api === null) {
        send(res, 404, { error: { message: `no route ${req.method} ${path}`, type: "invalid_request_error" } });
        return;
      }
      let body: Json;
      try {
        body = JSON.parse(await readBody(req)) as Json;
      } catch {
        send(res, 400, { error: { message: "body is not JSON", type: "invalid_request_error" } });
        return;
      }
      if (body.stream === true) {
        send(res, 400, { error: { message: "the fake server does not stream", type: "invalid_request_error" } });
        return;
      }
      const messages = messagesOf(api, body);
      const record: FakeRequest = {
        api,
        body,
        model: String(body.model ?? ""),
        systemText: messages.filter(([role]) => role === "system" || role === "developer").map(([, t]) => t).join("\n\n"),
        userText: messages.filter(([role]) => role === "user").map(([, t]) => t).join("\n\n"),
        messagesText: messages.map(([role, t]) => `[${role}]\n${t}`).join("\n\n"),
        schema: schemaOf(api, body),
      };
      requests.push(record);
      await reply(await current(record), api, record.model, record, res);
    } catch (error) {
      send(res, 500, { error: { message: `fake server failure: ${error instanceof Error ? error.message : String(error)}`, type: "server_error" } });
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setHandler(h) {
      current = h;
    },
    reset() {
      requests.length = 0;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const LEAD_BLOCK = /<lead_text>[\s\S]*?<\/lead_text>/g;
const OBEY = /classify me as ([A-Za-z0-9_.-]+)/i;

/**
 * A "naive model" for prompt-injection tests: it obeys an instruction "classify me as X" only when it appears
 * outside a <lead_text>…</lead_text> block (the first closing tag ends a block, as a careless parser would read
 * it); otherwise it answers `honest`. It shows that the prompt's structure, not the model's goodwill, protects the
 * result.
 */
export function naiveModel(honest: Record<string, unknown>): FakeHandler {
  return (req) => ({ kind: "json", value: naiveAnswer(req.systemText, req.userText, honest) });
}

/** What the naive model answers for these messages (exported so tests can show it is really gullible). */
export function naiveAnswer(systemText: string, userText: string, honest: Record<string, unknown>): Record<string, unknown> {
  const outside = `${systemText}\n${userText.replace(LEAD_BLOCK, " ")}`;
  const m = OBEY.exec(outside);
  return m ? { ...honest, category: m[1], confidence: 0.99, briefing: "Obeyed an instruction." } : honest;
}

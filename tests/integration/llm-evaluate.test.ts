/** The LLM path evaluated like the offline model: the real client against the fake server, figures from its answers. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { evaluateLlm, FAILED } from "@/server/services/classify/evaluate-llm";
import { createLlmClassifier } from "@/server/services/classify/llm";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI((req) => {
    if (req.userText.includes("explode")) return { kind: "status", status: 400 };
    // A model that gets every "buy" text right and calls half of the "help" texts "buy".
    const label = req.userText.includes("buy") || req.userText.includes("odd") ? "buy" : "help";
    return { kind: "json", value: { category: label, confidence: label === "buy" ? 0.9 : 0.6, urgency: "normal", urgencyPhrase: null, timelineDays: null, productHints: [], evidence: [], briefing: "A test lead. Nothing more to say." }, usage: { input: 100, output: 20 } };
  });
});
afterAll(async () => fake?.close());

it("scores the LLM's answers with the same metrics, counting failed calls as wrong", async () => {
  const examples = [
    ...Array.from({ length: 6 }, (_, i) => ({ text: `I want to buy ${i}`, label: "buy" })),
    ...Array.from({ length: 4 }, (_, i) => ({ text: `Please help me ${i}${i % 2 ? " odd" : ""}`, label: "help" })),
    { text: "this one will explode", label: "help" },
  ];
  const classifier = createLlmClassifier({ provider: "openai_compatible", baseURL: fake.url, model: "eval-model", api: "chat", retries: 0, breaker: { failureThreshold: 1000, cooldownMs: 0 } });
  const progress: number[] = [];
  const r = await evaluateLlm(classifier, examples, { taxonomy: ["buy", "help"], concurrency: 3, onProgress: (d) => progress.push(d) });
  expect(r.n).toBe(11);
  expect(r.failures).toBe(1);
  expect(r.accuracy).toBeCloseTo(8 / 11, 5); // 6 buy right, 2 of 4 help right, the failure wrong
  expect(r.classes).toEqual(["buy", "help", FAILED].sort());
  expect(r.perClass.find((c) => c.label === "buy")).toMatchObject({ recall: 1, support: 6, predicted: 8 });
  expect(r.usage).toMatchObject({ inputTokens: 1000, outputTokens: 200 });
  expect(r.triageCurve.length).toBeGreaterThan(5);
  expect(progress.at(-1)).toBe(11);
});

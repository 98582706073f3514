import { describe, expect, it } from "vitest";
import { ClassificationSettings, DEFAULT_TAXONOMY, LlmSettings, readClassificationSettings, Taxonomy } from "@/lib/classify/taxonomy";
import { DEFAULT_CATEGORIES } from "@/lib/ingest/lead-input";

describe("classification settings", () => {
  it("defaults to the default taxonomy and no LLM", () => {
    expect(DEFAULT_TAXONOMY.map((c) => c.key)).toEqual([...DEFAULT_CATEGORIES]);
    const s = ClassificationSettings.parse({});
    expect(s.taxonomy).toEqual(DEFAULT_TAXONOMY);
    expect(s.llm).toMatchObject({ enabled: false, provider: "openai", api: "responses", timeoutMs: 4000 });
  });

  it("reads whatever is stored, falling back part by part when a part is invalid", () => {
    expect(readClassificationSettings(undefined)).toEqual(ClassificationSettings.parse({}));
    expect(readClassificationSettings("nonsense")).toEqual(ClassificationSettings.parse({}));
    const custom = [{ key: "buy", label: "Buy", description: "" }, { key: "other", label: "Other", description: "" }];
    const read = readClassificationSettings({ taxonomy: custom, llm: { enabled: true, timeoutMs: 5 } });
    expect(read.taxonomy).toEqual(custom);
    expect(read.llm.enabled).toBe(false); // the invalid LLM part is the default, the valid taxonomy is kept
    expect(readClassificationSettings({ taxonomy: [{ key: "solo", label: "Solo" }], llm: { enabled: true, provider: "openai_compatible", baseURL: "http://127.0.0.1:11434/v1", model: "llama3", api: "chat" } }))
      .toMatchObject({ taxonomy: DEFAULT_TAXONOMY, llm: { enabled: true, model: "llama3", api: "chat" } });
  });

  it("validates keys, duplicates and sizes with paths", () => {
    const dup = Taxonomy.safeParse([{ key: "a_b", label: "A" }, { key: "a_b", label: "B" }]);
    expect(dup.success).toBe(false);
    expect(dup.error!.issues[0]).toMatchObject({ path: [1, "key"], message: expect.stringContaining("already category 1") });
    const bad = Taxonomy.safeParse([{ key: "Bad Key", label: "A" }, { key: "ok_key", label: "" }]);
    expect(bad.error!.issues.map((i) => i.path)).toEqual([[0, "key"], [1, "label"]]);
    expect(Taxonomy.safeParse([{ key: "only", label: "Only" }]).success).toBe(false);
    expect(LlmSettings.safeParse({ baseURL: "ftp://x" }).success).toBe(false);
    expect(LlmSettings.safeParse({ baseURL: "" }).success).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { applyMapping, DEFAULT_MAPPINGS, parsePath, readExpression, SourceMapping } from "@/lib/ingest/mapping";

describe("parsePath", () => {
  it("parses keys, indexes and filters, and rejects garbage", () => {
    expect(parsePath("a.b[2].c")).toEqual([{ kind: "key", key: "a" }, { kind: "key", key: "b" }, { kind: "index", index: 2 }, { kind: "key", key: "c" }]);
    expect(parsePath("answers[field.ref=email].email")).toEqual([
      { kind: "key", key: "answers" }, { kind: "filter", path: ["field", "ref"], value: "email" }, { kind: "key", key: "email" },
    ]);
    expect(parsePath("a[")).toBeNull();
    expect(parsePath("")).toBeNull();
  });
});

describe("applyMapping", () => {
  const payload = {
    id: 7, person: { first: "Ana", last: "Ruiz", mails: ["ana@cedar.io"] },
    answers: [{ field: { ref: "company" }, text: "Cedar" }, { field: { ref: "msg" }, text: "Hi" }],
    __proto__: { polluted: true },
  };
  it("reads nested fields, arrays, filters, headers, constants and joins", () => {
    const { lead, invalid } = applyMapping({
      eventId: "id", "contact.email": "person.mails[0]", "contact.name": ["person.first", "' '", "person.last"],
      "company.name": "answers[field.ref=company].text", message: "answers[field.ref=msg].text", source: "'webinar'",
      "utm.campaign": "$header.x-campaign", "company.website": "missing.path",
    }, payload, { "x-campaign": "fall" });
    expect(invalid).toEqual([]);
    expect(lead).toEqual({
      eventId: 7, contact: { email: "ana@cedar.io", name: "Ana Ruiz" }, company: { name: "Cedar" }, message: "Hi", source: "webinar", utm: { campaign: "fall" },
    });
  });
  it("reports expressions it cannot parse and never reads inherited properties", () => {
    expect(applyMapping({ message: "a[[" }, payload).invalid).toEqual(["message: a[["]);
    expect(readExpression("polluted", payload, {})).toBeUndefined();
    expect(readExpression("toString", {}, {})).toBeUndefined();
  });
  it("validates mappings", () => {
    expect(SourceMapping.safeParse({ "contact.email": "email" }).success).toBe(true);
    expect(SourceMapping.safeParse({ "bad target!": "email" }).success).toBe(false);
    expect(SourceMapping.safeParse(DEFAULT_MAPPINGS.typeform).success).toBe(true);
  });
});

describe("prototype safety", () => {
  it("refuses prototype segments in targets and never writes to Object.prototype", () => {
    expect(SourceMapping.safeParse({ "contact.__proto__.isAdmin": "x" }).success).toBe(false);
    expect(SourceMapping.safeParse({ "constructor.prototype.x": "x" }).success).toBe(false);
    const mapping = JSON.parse(`{"contact.__proto__.isAdmin": "'yes'", "__proto__": "'yes'"}`) as Record<string, string>;
    const { lead, invalid } = applyMapping(mapping, {});
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(invalid).toHaveLength(2);
    expect(Object.keys(lead)).toEqual([]);
  });
});

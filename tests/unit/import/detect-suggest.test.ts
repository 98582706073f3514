import { describe, expect, it } from "vitest";
import { detectColumn, detectColumns, detectDelimiter } from "@/lib/import/detect";
import { headerScore, normalizeHeader, suggestMapping, typeScore } from "@/lib/import/suggest";
import { LEAD_TARGETS, targetField, targetsFor } from "@/lib/import/targets";

const col = (name: string, values: string[]) => detectColumn(name, 0, values);

describe("detectColumn", () => {
  it.each([
    ["empty", "notes", ["", " ", "N/A"]],
    ["boolean", "Do Not Email", ["No", "Yes", "No", "no"]],
    ["boolean", "Converted", ["0", "1", "1", "0"]],
    ["boolean", "has_company", ["True", "False", ""]],
    ["date", "first_contact_date", ["2018-02-01", "2017-10-20"]],
    ["datetime", "won_date", ["2018-02-26 19:58:54", "2018-05-08 20:17:59"]],
    ["email", "contact", ["dana@acme.com", "li.na@example.co.uk", "x@y.io"]],
    ["url", "website", ["https://acme.com/about", "www.example.org", "shop.acme.co.uk"]],
    ["number", "TotalVisits", ["0", "5", "2", "5"]],
    ["number", "Page Views Per Visit", ["0", "2.5", "2", "1.33"]],
    ["money", "close_value", ["1054", "4514", "50"]],
    ["money", "price", ["$1,200", "$99", "$45.50"]],
    ["phone", "mobile", ["+1 212 555 0100", "+49 30 1234567", "(415) 555-0199"]],
    ["country", "Country", ["India", "United States", "Deutschland", "UK", "India"]],
    ["id", "Lead Number", ["660737", "660728", "660727"]],
    ["id", "mql_id", ["dac32acd4db4c29c230538b72f8dd87d", "8c18d1de7f67e60dbd64e3c07d7e9d5d"]],
    ["id", "Prospect ID", ["7927b2df-8bba-4d29-b9a2-b6e0beafe620", "2a272436-5132-4136-86fa-dcc88c88f482"]],
    ["categorical", "deal_stage", ["Won", "Lost", "Won", "Engaging", "Won", "Lost"]],
    ["text", "message", ["We need a demo for 300 people", "Pricing please", "Hello there", "Another message entirely"]],
  ] as const)("%s: %s", (type, name, values) => {
    expect(col(name, [...values]).type).toBe(type);
  });

  it("does not take version-like or index-like values for websites", () => {
    expect(col("Asymmetrique Activity Index", ["02.Medium", "01.High", "03.Low", "02.Medium"]).type).toBe("categorical");
  });

  it("reports format, ambiguity, decimal, counts, samples and value counts", () => {
    const d = col("date", ["01/02/2018", "03/04/2018"]);
    expect(d).toMatchObject({ type: "date", format: "dd/MM/yyyy", ambiguous: true, alternativeFormat: "MM/dd/yyyy" });
    const n = col("amount", ["1,5", "2,25", "3"]);
    expect(n).toMatchObject({ type: "money", decimal: "," });
    const c = col("stage", ["Won", "Lost", "Won", "", "Won"]);
    expect(c).toMatchObject({ nonEmpty: 4, distinct: 2, unique: false, samples: ["Won", "Lost"], values: [{ value: "Won", count: 3 }, { value: "Lost", count: 1 }] });
    const many = col("x", Array.from({ length: 40 }, (_, i) => `v${i} text`));
    expect(many.values).toBeUndefined();
    expect(many.samples).toHaveLength(5);
  });

  it("detects every column of a sample, reading short rows as empty", () => {
    const cols = detectColumns(["a", "b"], [["1"], ["2", "x@y.com"], ["3", "z@y.com"]]);
    expect(cols.map((c) => [c.index, c.name, c.type])).toEqual([[0, "a", "number"], [1, "b", "email"]]);
  });
});

describe("detectDelimiter", () => {
  it.each([
    ["a,b,c", ","],
    ["a;b;c", ";"],
    ["a\tb\tc", "\t"],
    ["a|b|c", "|"],
    ['"x;y",b,c', ","],
    ["single", ","],
  ])("%j → %j", (line, delimiter) => {
    expect(detectDelimiter(line)).toBe(delimiter);
  });
});

describe("header matching", () => {
  it("normalises headers", () => {
    expect(normalizeHeader("\uFEFFfirstName")).toBe("first name");
    expect(normalizeHeader("E-Mail Address")).toBe("e mail address");
    expect(normalizeHeader("Prospect ID")).toBe("prospect id");
  });

  it("scores synonyms exactly and partial matches lower", () => {
    const email = targetField("leads", "email")!;
    expect(headerScore("Email", email)).toBe(1);
    expect(headerScore("emailaddress", email)).toBe(1);
    expect(headerScore("Work Email Address", email)).toBeGreaterThan(0.6);
    expect(headerScore("Work Email Address", email)).toBeLessThan(1);
    expect(headerScore("Phone", email)).toBe(0);
    expect(headerScore("   ", email)).toBe(0);
  });

  it("scores type fit", () => {
    expect(typeScore("datetime", "date")).toBe(1);
    expect(typeScore("datetime", "text")).toBe(0);
    expect(typeScore("money", "number")).toBeGreaterThan(0.5);
  });

  it("lists the targets of every kind", () => {
    expect(targetsFor("leads")).toBe(LEAD_TARGETS);
    expect(targetsFor("accounts").some((t) => t.key === "domain")).toBe(true);
    expect(targetsFor("reps").find((t) => t.key === "email")?.required).toBe(true);
    expect(targetField("reps", "nope")).toBeUndefined();
  });
});

describe("suggestMapping", () => {
  it("maps a typical CRM export by header and type", () => {
    const headers = ["Lead ID", "Created Date", "Email", "First Name", "Last Name", "Company", "Country", "Lead Source", "Owner Email", "Amount", "Stage"];
    const rows = [
      ["L-1001", "2026-01-05 10:00:00", "dana@acme.com", "Dana", "Kim", "Acme", "US", "Web", "maya@x.dev", "1200", "Won"],
      ["L-1002", "2026-01-06 11:30:00", "li@beta.io", "Li", "Na", "Beta", "Germany", "Event", "lukas@x.dev", "", "Lost"],
      ["L-1003", "2026-01-07 09:15:00", "sam@gamma.co", "Sam", "Ray", "Gamma", "UK", "Web", "maya@x.dev", "300", "Open"],
    ];
    const s = suggestMapping("leads", detectColumns(headers, rows));
    expect(s.mapping.fields).toMatchObject({
      external_id: { column: "Lead ID" },
      received_at: { column: "Created Date", format: "yyyy-MM-dd HH:mm:ss" },
      email: { column: "Email" },
      first_name: { column: "First Name" },
      last_name: { column: "Last Name" },
      company: { column: "Company" },
      country: { column: "Country" },
      channel: { column: "Lead Source" },
      owner: { column: "Owner Email" },
      opportunity_amount: { column: "Amount" },
      closed_outcome: { column: "Stage" },
    });
    expect(s.needsReceivedAt).toBe(false);
    expect(s.scores.email).toBe(1);
  });

  it("says when a lead file has no date column, and maps columns by type alone when the header says nothing", () => {
    const s = suggestMapping("leads", detectColumns(["Kontakt", "Stuff"], [["a@b.com", "x"], ["c@d.com", "y"]]));
    expect(s.needsReceivedAt).toBe(true);
    expect(s.mapping.fields.email).toEqual({ column: "Kontakt" });
  });

  it("maps the X Education, Olist and Maven headers it is meant for", () => {
    const xed = suggestMapping("leads", detectColumns(
      ["Prospect ID", "Lead Number", "Lead Source", "Converted", "Country", "Specialization", "Do Not Email"],
      [
        ["7927b2df-8bba-4d29-b9a2-b6e0beafe620", "660737", "Olark Chat", "0", "", "Select", "No"],
        ["2a272436-5132-4136-86fa-dcc88c88f482", "660728", "Organic Search", "1", "India", "Finance Management", "Yes"],
        ["8cc8c611-a219-4f35-ad23-fdfd2656bd8a", "660727", "Direct Traffic", "1", "India", "Select", "No"],
      ],
    ));
    expect(xed.mapping.fields.external_id).toEqual({ column: "Prospect ID" });
    expect(xed.mapping.fields.channel).toEqual({ column: "Lead Source" });
    expect(xed.mapping.fields.closed_outcome).toEqual({ column: "Converted" });
    expect(xed.mapping.fields.email).toBeUndefined();
    expect(xed.needsReceivedAt).toBe(true);

    const maven = suggestMapping("leads", detectColumns(
      ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date", "close_value"],
      [
        ["1C1I7A6R", "Moses Frase", "GTX Plus Basic", "Cancity", "Won", "2016-10-20", "2017-03-01", "1054"],
        ["Z063OYW0", "Darcel Schlecht", "GTXPro", "Isdom", "Won", "2016-10-25", "2017-03-11", "4514"],
        ["EC4QE1BX", "Darcel Schlecht", "MG Special", "Cancity", "Lost", "2016-10-25", "2017-03-07", "0"],
      ],
    ));
    expect(maven.mapping.fields).toMatchObject({
      external_id: { column: "opportunity_id" }, owner: { column: "sales_agent" }, received_at: { column: "engage_date", format: "yyyy-MM-dd" },
      closed_at: { column: "close_date" }, opportunity_amount: { column: "close_value" }, closed_outcome: { column: "deal_stage" },
    });
  });

  it("keeps one column per target and passes the decimal separator on", () => {
    const s = suggestMapping("accounts", detectColumns(["Account Name", "Revenue"], [["Acme", "1.234,5"], ["Beta", "99,1"]]));
    expect(s.mapping.fields.name).toEqual({ column: "Account Name" });
    expect(s.mapping.fields.annual_revenue).toEqual({ column: "Revenue", decimal: "," });
  });
});

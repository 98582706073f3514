import { describe, expect, it } from "vitest";
import { inquiryKey, nameKey, personKey, productKey } from "@/lib/lead/dedupe";

describe("personKey", () => {
  it.each([
    [{ email: "J.a.n.e+news@GoogleMail.com", phoneE164: "+14155552671" }, "email:jane@gmail.com", "email"],
    [{ email: "Jane.Doe+crm@Acme.com" }, "email:jane.doe@acme.com", "email"],
    [{ email: "not-an-email", phoneE164: "+14155552671" }, "phone:+14155552671", "phone"],
    [{ phoneE164: "4155552671", name: "Jane Doe", company: "Acme Inc." }, "name:doe jane|acme", "name_company"],
    [{ name: "Li Na", company: "Huawei Technologies Co., Ltd." }, "name:li na|huawei technologies", "name_company"],
    [{ name: "Na Li", company: "HUAWEI TECHNOLOGIES" }, "name:li na|huawei technologies", "name_company"],
    [{ name: "Jean-Luc O'Brien\u200B", company: "Société Générale" }, "name:jean luc obrien|societe generale", "name_company"],
  ])("%j → %s", (input, key, kind) => {
    expect(personKey(input)).toEqual({ key, kind });
  });

  it.each([[{}], [{ name: "Jane Doe" }], [{ company: "Acme" }], [{ name: "!!!", company: "Acme" }], [{ email: "", phoneE164: "" }]])(
    "%j has no key",
    (input) => {
      expect(personKey(input)).toBeNull();
    },
  );

  it("folds name keys", () => {
    expect(nameKey("  Zoë   D’Angelo ")).toBe("dangelo zoe");
  });
});

describe("inquiryKey", () => {
  it("adds the folded product interest, or * when none", () => {
    const person = personKey({ email: "jane@acme.com" });
    expect(inquiryKey(person, "Data Platform ")).toBe("email:jane@acme.com#data platform");
    expect(inquiryKey(person, "data-platform")).toBe("email:jane@acme.com#data platform");
    expect(inquiryKey(person, null)).toBe("email:jane@acme.com#*");
    expect(inquiryKey(person, "—")).toBe("email:jane@acme.com#*");
    expect(inquiryKey(null, "Data Platform")).toBeNull();
    expect(productKey(undefined)).toBe("*");
  });
});

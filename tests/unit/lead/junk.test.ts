import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JUNK_WEIGHTS, JunkAssessment, assessJunk, tokenSignal } from "@/lib/lead/junk";

const REAL_NAMES = [
  // short and East Asian
  "Li", "Na", "Bo", "Ek", "Ng", "Wu", "Xu", "Yi", "Yui", "An", "O", "王伟", "李娜", "佐藤", "김민준",
  // Greek, Cyrillic, Arabic, Hebrew, Devanagari, Thai
  "Σωκράτης", "Παπαδόπουλος", "Дмитрий", "Иванова", "محمد", "عبدالله", "משה", "כהן", "प्रिया", "สมชาย",
  // diacritics and punctuation
  "Jean-Luc", "O'Brien", "D’Angelo", "Nguyễn", "Trịnh", "Thọ", "Hương", "José", "María", "Zoë", "Øystein", "Björk",
  "Siobhán", "Aoife", "Ann-Kathrin", "Dvořák", "Żółć", "Łukasz", "Ólafur", "Ðorđe",
  // consonant clusters of real languages
  "Mkhwanazi", "Tchaikovsky", "Przybylski", "Schwarzschild", "Strzelczyk", "Krzysztof", "Hengstschläger",
  "Szczepański", "Brzęczyszczykiewicz", "Wojciechowski", "Grzegorz", "Llewellyn", "Gwynn", "Rhys", "Bryn",
  "Glyn", "Lynch", "Schmidt", "Dschingis", "Smrž", "Vlk", "Kjell", "Hjalmar", "Nnamdi", "Oluwaseun",
  "Chukwuemeka", "Ngozi", "Nkechi", "Tshepo", "Sipho", "Xochitl", "Quetzalcoatl", "Lakshmi", "Kshitij",
  "Jnanesh", "Srinivas", "Prathyusha", "Dzmitry", "Tyus", "Wert", "Wertheimer", "Rewe", "Tyumen",
  // repeated letters that are fine
  "Aaron", "Hannah", "Annabella", "Otto", "Anna", "Abba", "Ebbe", "Ossi", "Mimi", "Lulu",
  // Chinese reduplicated given names
  "Mei-Mei", "Tingting", "Jingjing", "Yingying", "Fangfang", "Dandan", "Lili", "Nana",
];

describe("tokenSignal — no false positives on real names", () => {
  it.each(REAL_NAMES)("%s passes", (name) => {
    expect(tokenSignal(name)).toBeNull();
  });
});

describe("tokenSignal — mashes", () => {
  it.each([
    ["asdf", "keyboard_mash"], ["qwerty", "keyboard_mash"], ["Qwertz", "keyboard_mash"], ["azerty", "keyboard_mash"],
    ["dfghjk", "keyboard_mash"], ["zxcvbn", "keyboard_mash"], ["lkjhgf", "keyboard_mash"], ["qazwsx", "keyboard_mash"],
    ["asdasd", "keyboard_mash"], ["sdfg", "keyboard_mash"], ["poiuytrewq", "keyboard_mash"],
    ["jjjjjj", "repeated_characters"], ["Aaaa", "repeated_characters"], ["xxx", "repeated_characters"],
    ["hahaha", "repeated_characters"], ["abcabcabc", "repeated_characters"], ["jkjkjk", "repeated_characters"],
    ["aaaabbbb", "repeated_characters"], ["aabaabaab", "repeated_characters"], ["aaaaab", "repeated_characters"],
    ["ababbbab", "low_entropy"], ["ССССССС", "repeated_characters"], ["哈哈哈", "repeated_characters"],
    ["xkcdqz", "nonsense_letters"], ["bcdfgh", "nonsense_letters"], ["kdjfh", "nonsense_letters"],
    ["Hgkdtrsnb", "nonsense_letters"],
  ])("%s → %s", (word, code) => {
    expect(tokenSignal(word)?.code).toBe(code);
  });

  it("ignores empty input", () => {
    expect(tokenSignal("")).toBeNull();
    expect(tokenSignal("'-")).toBeNull();
  });
});

describe("assessJunk", () => {
  it.each([
    [{ firstName: "Li", lastName: "Na", email: "li.na@gmail.com" }],
    [{ firstName: "Bo", lastName: "Ek", email: "bo.ek@volvo.se", company: "Volvo AB" }],
    [{ name: "王伟", email: "wangwei@qq.com", company: "阿里巴巴", phone: "+86 139 0100 2233" }],
    [{ name: "Σωκράτης Παπαδόπουλος", email: "s.papadopoulos@ote.gr", company: "ΟΤΕ Α.Ε." }],
    [{ firstName: "Jean-Luc", lastName: "O'Brien", email: "jl@obrien.ie", company: "O'Brien & Sons Ltd", phone: "+353 1 677 0095" }],
    [{ firstName: "\u200Fמשה\u200E", lastName: "כהן", email: "moshe@teva.co.il", message: "נשמח לקבל הצעת מחיר 🙏" }],
    [{ firstName: "Zoe\u0308", lastName: "Ngu\u200Byen", email: "zoe@acme.com" }],
    [{ firstName: "Ana 🌸", lastName: "Silva", email: "ana@acme.com.br", message: "Olá! 👋 Queremos uma demo." }],
    [{ firstName: "Priya", lastName: "Raghunathan", email: "priya@infosys.com", employees: "10,001+", phone: "+91 80 2852 0261" }],
    [{ firstName: "John", lastName: "Smith", email: "john.smith@acme.com", company: "Acme", website: "https://acme.com", message: "Please see https://acme.com/rfp for our requirements." }],
  ])("real lead %j is clean", (input) => {
    const result = assessJunk(input);
    expect(result.level).toBe(result.score >= 25 ? "suspect" : "clean");
    expect(result.isJunk).toBe(false);
    expect(result.reasons.filter((r) => r.code !== "free_email")).toEqual([]);
  });

  it.each([
    [{ firstName: "Test", lastName: "Test", email: "t@acme.com" }, ["test_name"]],
    [{ firstName: "asdf", lastName: "asdf" }, ["test_name"]],
    [{ name: "Mickey Mouse", email: "mickey@gmail.com" }, ["placeholder_name", "free_email"]],
    [{ firstName: "Jane", lastName: "Doe", email: "jane@gmail.com" }, ["placeholder_name", "free_email"]],
    [{ firstName: "Jkjkjk", lastName: "Hhhhh", email: "a@b.co" }, ["repeated_characters", "repeated_characters"]],
    [{ firstName: "Dfghjk", lastName: "Smith", email: "ds@gmail.com" }, ["keyboard_mash", "free_email"]],
    [{ email: "x@mailinator.com" }, ["disposable_email"]],
    [{ email: "someone@sub.guerrillamail.com" }, ["disposable_email"]],
    [{ email: "john@example.com" }, ["fake_email_domain"]],
    [{ email: "john@example.co.uk" }, ["fake_email_domain"]],
    [{ email: "john@acme.test" }, ["fake_email_domain"]],
    [{ email: "test@acme.com", firstName: "Test", lastName: "User" }, ["test_name", "test_email"]],
    [{ email: "qwerty123@gmail.com", firstName: "Tom", lastName: "Hill", company: "N/A" }, ["keyboard_mash", "placeholder_company", "free_email"]],
    [{ phone: "1234567890", company: "N/A", email: "bob@gmail.com" }, ["fake_phone", "placeholder_company", "free_email"]],
    [{ phone: "+1 111-111-1111", company: "none", firstName: "Bob" }, ["fake_phone", "placeholder_company"]],
    [{ firstName: "Visit http://cheap.ru", lastName: "now", email: "x@gmail.com" }, ["url_in_name", "free_email"]],
    [{ message: "We offer SEO services and backlinks to rank your website on first page of Google" }, ["spam_message"]],
    [{ message: "test", company: "test company", email: "a@gmail.com" }, ["test_company", "test_message", "free_email"]],
  ])("junk lead %j → %j", (input, codes) => {
    const result = assessJunk(input);
    expect(result.isJunk).toBe(true);
    expect(result.level).toBe("junk");
    expect(result.reasons.map((r) => r.code)).toEqual(codes);
    expect(JunkAssessment.parse(result)).toEqual(result);
  });

  it.each([
    [{ email: "jane@gmail.com" }, "clean", ["free_email"]],
    [{ email: "jane@acme.com", phone: "123" }, "suspect", ["fake_phone"]],
    [{ message: "https://spam.example/buy" }, "suspect", ["url_only_message"]],
    [{ message: "www.example.com" }, "suspect", ["url_only_message"]],
    [{ message: "Check https://a.com https://b.com https://c.com" }, "suspect", ["spam_message"]],
    [{ message: "We are a casino affiliate" }, "suspect", ["spam_message"]],
    [{ useCase: "asdfgh" }, "suspect", ["keyboard_mash"]],
    [{ firstName: "John", lastName: "Doe", email: "john.doe@bigcorp.com" }, "suspect", ["placeholder_name"]],
    [{ firstName: "Jane", lastName: "Smith", company: "self-employed" }, "clean", []],
    [{ firstName: "Jane", lastName: "Smith", company: "-" }, "clean", ["placeholder_company"]],
    [{ firstName: "Jane", lastName: "Smith", company: "asdfgh" }, "suspect", ["keyboard_mash"]],
    [{ firstName: "John2", lastName: "Smith" }, "clean", ["digits_in_name"]],
    [{ firstName: "12345", lastName: "Smith" }, "suspect", ["no_letters"]],
    [{ firstName: "🙂", lastName: "Smith" }, "suspect", ["no_letters"]],
    [{ firstName: "jane@acme.com", lastName: "Smith" }, "suspect", ["email_in_name"]],
    [{ firstName: "Jane", lastName: "Jane" }, "clean", ["same_first_last"]],
    [{ firstName: "Li", lastName: "Li" }, "clean", []],
    [{ firstName: "Sam", lastName: "Testing" }, "suspect", ["test_name"]],
    [{ email: "not-an-email" }, "clean", ["invalid_email"]],
    [{ email: "asdf@@mailinator.com" }, "junk", ["disposable_email", "invalid_email"]],
    [{ email: "noreply@acme.com" }, "suspect", ["test_email"]],
    [{ email: "test.user+1@acme.com" }, "suspect", ["test_email"]],
    [{ website: "https://www.example.com" }, "suspect", ["fake_website"]],
    [{ phone: "(212) 555-0123" }, "suspect", ["fake_phone"]],
    [{ phone: "+49 30 0000000" }, "suspect", ["fake_phone"]],
    [{ phone: "0101010101" }, "suspect", ["fake_phone"]],
    [{}, "clean", []],
  ] as const)("%j is %s with %j", (input, level, codes) => {
    const result = assessJunk(input);
    expect(result.level).toBe(level);
    expect(result.reasons.map((r) => r.code)).toEqual(codes);
  });

  it("never makes junk from one weak signal", () => {
    for (const [code, weight] of Object.entries(JUNK_WEIGHTS)) {
      if (["free_email", "digits_in_name", "same_first_last", "invalid_email", "placeholder_company"].includes(code)) {
        expect(weight, code).toBeLessThan(25);
      }
    }
  });

  it("counts one reason per code and field, scores the capped sum, and sorts strongest first", () => {
    const result = assessJunk({
      firstName: "asdfgh",
      lastName: "qwerty",
      email: "asdf@mailinator.com",
      phone: "1111111111",
      company: "test",
      message: "test",
    });
    expect(result.score).toBe(100);
    const weights = result.reasons.map((r) => r.weight);
    expect([...weights].sort((a, b) => b - a)).toEqual(weights);
    const keys = result.reasons.map((r) => `${r.code}|${r.field}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of result.reasons) expect(r.text.length).toBeGreaterThan(0);
  });

  it("takes custom thresholds", () => {
    expect(assessJunk({ email: "jane@gmail.com" }, { junkThreshold: 10 }).isJunk).toBe(true);
    expect(assessJunk({ email: "x@mailinator.com" }, { junkThreshold: 80, suspectThreshold: 50 }).level).toBe("suspect");
  });

  it("never throws and always returns a valid assessment", () => {
    const text = fc.option(fc.string({ unit: "binary" }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({ firstName: text, lastName: text, name: text, email: text, company: text, phone: text, website: text, message: text, useCase: text }),
        (input) => {
          const result = assessJunk(input);
          JunkAssessment.parse(result);
          expect(result.score).toBe(Math.min(100, result.reasons.reduce((s, r) => s + r.weight, 0)));
        },
      ),
    );
  });
});

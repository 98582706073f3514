/**
 * Free-text inquiries for the demo, composed from phrase banks per intent so 20,000 leads read as varied as real
 * form fills (openers, the ask, context, urgency, sign-offs; some terse, some rambling, some with typos).
 */
import type { Random } from "@/lib/random";
import { PRODUCT_LABELS, type Category, type Product } from "./catalog";

const OPENERS = ["Hi,", "Hello team,", "Hi there —", "Good morning,", "Hey,", "Dear Sales,", "", "", "Hi all,", "Greetings,"];
const SIGNOFFS = ["Thanks!", "Best regards", "Cheers", "Thank you", "", "", "Looking forward to hearing from you.", "Regards"];

const ASKS: Record<Category, readonly string[]> = {
  sales_enterprise: [
    "We're evaluating {product} for a company-wide rollout across {seats} analysts and need to talk to someone about an enterprise agreement.",
    "Our procurement team asked us to shortlist vendors for {product}; we have roughly {seats} users in {regions} regions and need SSO, audit logs and a DPA.",
    "We are replacing our current BI stack and want an enterprise quote for {product}, including premium support and a dedicated CSM.",
    "Looking for a partner to consolidate three data tools into one. {product} came up in our RFP — can we schedule a call with an account executive?",
    "I lead data at a {size}-person company and we need {product} with on-prem connectors and a security review before signing.",
    "We'd like to discuss a multi-year contract for {product} for our group companies. Budget is approved for this fiscal year.",
  ],
  pricing_demo: [
    "Could you send pricing for {product}? We have about {seats} people who would use it.",
    "I'd like to book a demo of {product} for my team.",
    "What does {product} cost for a team of {seats}? Is there a trial?",
    "Can someone walk us through {product}? We're comparing it with two other tools.",
    "Interested in a demo — mainly the dashboards and alerting in {product}.",
    "Requesting a quote for {product}, annual billing please.",
    "We want to start a trial of {product} and talk about pricing tiers.",
  ],
  support_request: [
    "Our {product} dashboards stopped refreshing since yesterday and we can't find the cause.",
    "I can't log in to our {product} workspace, the SSO redirect fails with an error.",
    "We're an existing customer and the API returns 500 errors on the export endpoint.",
    "How do I reset the admin password for our {product} account? The reset email never arrives.",
    "Billing question: we were charged twice this month for {product}.",
    "The scheduled report in {product} is sending empty CSV files to our team.",
  ],
  job_application: [
    "I'm applying for the data engineer role posted on LinkedIn, please find my CV attached.",
    "Are you hiring solutions engineers in {region}? I'd love to join the team.",
    "I saw the open account executive position and wanted to introduce myself.",
    "Looking for an internship in your analytics team this summer.",
  ],
  partner_request: [
    "We're a consultancy implementing data platforms and would like to become a reseller of {product}.",
    "We run a systems integrator in {region} and want to discuss a partnership around {product}.",
    "Interested in your partner program — we have several clients asking for {product}.",
    "Could we explore a technology partnership? Our product integrates with {product}.",
  ],
  vendor_solicitation: [
    "We help SaaS companies generate 3x more qualified meetings with outbound — do you have 15 minutes this week?",
    "Offering offshore development resources at competitive rates, let me know if you need extra capacity.",
    "Would you like to be featured in our industry report? Sponsorship packages start at $5k.",
    "We provide SEO services and noticed your site could rank higher. Interested?",
  ],
  low_fit: [
    "Just curious what {product} does, I'm a student working on a project.",
    "Is there a free version of {product} for personal use?",
    "Can I use {product} to track my personal budget?",
    "Downloading your whitepaper for research, no immediate need.",
    "Just browsing, might be interested next year.",
    "Do you offer discounts for non-profits with 3 people?",
  ],
  spam: [
    "asdfasdf",
    "Buy cheap followers now!!! visit www.best-followers-cheap.biz",
    "test test test",
    "Congratulations you have won a prize, click here",
    "qwerty",
    "SEO backlinks 500 for $10 best price",
  ],
};

const URGENCY_HIGH = [
  "We need to decide by the end of this week.",
  "This is urgent — our current contract ends in {days} days.",
  "Our board meeting is next week so we need numbers ASAP.",
  "We have a hard deadline: go-live in {days} days.",
];
const URGENCY_LOW = ["No rush, just exploring options.", "Planning for next quarter.", "We're early in the process."];
const CONTEXT = [
  "We currently use spreadsheets and it doesn't scale anymore.",
  "We're migrating from a legacy on-prem tool.",
  "Our team grew from 20 to {seats} people this year.",
  "Security and GDPR compliance are important for us.",
  "We already have a Snowflake warehouse.",
  "A colleague at another company recommended you.",
  "",
  "",
];

function fill(template: string, r: Random, product: Product, region: string): string {
  return template
    .replaceAll("{product}", PRODUCT_LABELS[product])
    .replaceAll("{seats}", String(r.pick([15, 25, 40, 60, 120, 250, 500, 1200])))
    .replaceAll("{regions}", String(r.int(2, 6)))
    .replaceAll("{size}", String(r.pick([800, 1500, 3000, 12000])))
    .replaceAll("{days}", String(r.pick([7, 10, 14, 30])))
    .replaceAll("{region}", region);
}

function typo(text: string, r: Random): string {
  if (text.length < 20 || !r.chance(0.15)) return text;
  const i = r.int(5, text.length - 5);
  return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
}

export interface GeneratedMessage {
  text: string;
  urgency: "high" | "normal" | "low";
}

/** A free-text inquiry of the given intent. */
export function composeMessage(r: Random, category: Category, product: Product, regionName: string): GeneratedMessage {
  const ask = fill(r.pick(ASKS[category]), r, product, regionName);
  if (category === "spam") return { text: ask, urgency: "normal" };
  let urgency: GeneratedMessage["urgency"] = "normal";
  const parts: string[] = [];
  const opener = r.pick(OPENERS);
  if (opener) parts.push(opener);
  parts.push(ask);
  if (category === "sales_enterprise" || category === "pricing_demo" || category === "support_request") {
    if (r.chance(0.25)) {
      parts.push(fill(r.pick(URGENCY_HIGH), r, product, regionName));
      urgency = "high";
    } else if (r.chance(0.2)) {
      parts.push(r.pick(URGENCY_LOW));
      urgency = "low";
    }
    const ctx = fill(r.pick(CONTEXT), r, product, regionName);
    if (ctx && r.chance(0.6)) parts.push(ctx);
  }
  const signoff = r.pick(SIGNOFFS);
  if (signoff && r.chance(0.7)) parts.push(signoff);
  const text = r.chance(0.2) ? ask : parts.join(" ");
  return { text: typo(text, r), urgency };
}

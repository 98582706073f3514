/**
 * Vocabulary for the demo generator: people, companies, places and the words inquiries are made of. Written for
 * this project (no third-party data is copied); the generator combines them with a seeded random stream.
 */

export const FIRST_NAMES = [
  "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda", "Daniel", "Sarah", "Priya", "Arjun",
  "Wei", "Li", "Yuki", "Haruto", "Sofia", "Mateo", "Lucía", "Santiago", "Emma", "Liam", "Olivia", "Noah", "Chloé",
  "Louis", "Hannah", "Felix", "Anna", "Jonas", "Fatima", "Omar", "Aisha", "Youssef", "Ingrid", "Lars", "Astrid",
  "Mikael", "Giulia", "Marco", "Elena", "Pedro", "Ana", "João", "Camila", "Diego", "Chen", "Min-jun", "Ji-woo",
  "Aarav", "Ananya", "Rohan", "Kavya", "Tom", "Grace", "Oliver", "Amelia", "Jack", "Isla", "Ethan", "Zoe", "Nina",
  "Kofi", "Amara", "Tariq", "Leila", "Sven", "Freya", "Pablo", "Carmen", "Dmitri", "Olga", "Jan", "Katarzyna",
] as const;

export const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Martinez", "Lopez", "Wilson", "Patel", "Sharma",
  "Wang", "Zhang", "Tanaka", "Suzuki", "Rossi", "Bianchi", "Müller", "Schmidt", "Schneider", "Dubois", "Martin",
  "Bernard", "Silva", "Santos", "Oliveira", "Kim", "Lee", "Park", "Nguyen", "Tran", "Andersson", "Johansson",
  "Nielsen", "Hansen", "O'Brien", "Murphy", "Kelly", "Novak", "Kowalski", "Ivanova", "Cohen", "Levi", "Haddad",
  "Mensah", "Okafor", "Mwangi", "Fernández", "González", "Rodríguez", "Herrera", "Jansen", "de Vries", "van Dijk",
  "Fischer", "Weber", "Khan", "Ali", "Hassan", "Chen", "Liu", "Singh", "Gupta", "Reddy", "Taylor", "Thomas", "Moore",
] as const;

export const COMPANY_PREFIXES = [
  "Acme", "Blue", "Bright", "Cedar", "Cobalt", "Crest", "Delta", "Ember", "Falcon", "Fern", "Granite", "Harbor", "Helix",
  "Iron", "Juniper", "Kestrel", "Lumen", "Maple", "Meridian", "Nimbus", "Northwind", "Oak", "Orbit", "Pine", "Polar",
  "Quartz", "Rapid", "Redwood", "Sable", "Silver", "Solar", "Summit", "Terra", "Tidal", "Vertex", "Willow", "Zephyr",
  "Atlas", "Beacon", "Cascade", "Evergreen", "Horizon", "Keystone", "Lighthouse", "Nova", "Pioneer", "Sterling",
] as const;

export const COMPANY_SUFFIXES = [
  "Logistics", "Health", "Labs", "Systems", "Analytics", "Foods", "Energy", "Capital", "Retail", "Robotics", "Media",
  "Software", "Pharma", "Motors", "Insurance", "Bank", "Telecom", "Networks", "Industries", "Biotech", "Foods Group",
  "Learning", "Travel", "Security", "Cloud", "Payments", "Manufacturing", "Consulting", "Apparel", "Games",
] as const;

export const LEGAL_FORMS_BY_COUNTRY: Record<string, readonly string[]> = {
  US: ["Inc.", "LLC", "Corp."],
  CA: ["Inc.", "Ltd."],
  GB: ["Ltd", "plc"],
  IE: ["Ltd"],
  DE: ["GmbH", "AG"],
  FR: ["SAS", "S.A."],
  NL: ["B.V."],
  SE: ["AB"],
  ES: ["S.L."],
  IT: ["S.p.A."],
  AU: ["Pty Ltd"],
  JP: ["K.K."],
  SG: ["Pte. Ltd."],
  IN: ["Pvt. Ltd."],
  BR: ["Ltda."],
  MX: ["S.A. de C.V."],
};

export const INDUSTRIES = [
  "Software", "Financial services", "Healthcare", "Retail", "Manufacturing", "Logistics", "Education", "Media",
  "Telecommunications", "Energy", "Insurance", "Travel & hospitality",
] as const;

export interface CountryInfo {
  code: string;
  name: string;
  region: "NA" | "EMEA" | "APAC" | "LATAM";
  timeZone: string;
  tld: string;
  weight: number;
}

export const COUNTRIES: readonly CountryInfo[] = [
  { code: "US", name: "United States", region: "NA", timeZone: "America/New_York", tld: "com", weight: 34 },
  { code: "CA", name: "Canada", region: "NA", timeZone: "America/Toronto", tld: "ca", weight: 6 },
  { code: "GB", name: "United Kingdom", region: "EMEA", timeZone: "Europe/London", tld: "co.uk", weight: 10 },
  { code: "IE", name: "Ireland", region: "EMEA", timeZone: "Europe/Dublin", tld: "ie", weight: 2 },
  { code: "DE", name: "Germany", region: "EMEA", timeZone: "Europe/Berlin", tld: "de", weight: 8 },
  { code: "FR", name: "France", region: "EMEA", timeZone: "Europe/Paris", tld: "fr", weight: 5 },
  { code: "NL", name: "Netherlands", region: "EMEA", timeZone: "Europe/Amsterdam", tld: "nl", weight: 3 },
  { code: "SE", name: "Sweden", region: "EMEA", timeZone: "Europe/Stockholm", tld: "se", weight: 2 },
  { code: "ES", name: "Spain", region: "EMEA", timeZone: "Europe/Madrid", tld: "es", weight: 2 },
  { code: "IT", name: "Italy", region: "EMEA", timeZone: "Europe/Rome", tld: "it", weight: 2 },
  { code: "AU", name: "Australia", region: "APAC", timeZone: "Australia/Sydney", tld: "com.au", weight: 5 },
  { code: "JP", name: "Japan", region: "APAC", timeZone: "Asia/Tokyo", tld: "co.jp", weight: 3 },
  { code: "SG", name: "Singapore", region: "APAC", timeZone: "Asia/Singapore", tld: "sg", weight: 3 },
  { code: "IN", name: "India", region: "APAC", timeZone: "Asia/Kolkata", tld: "in", weight: 5 },
  { code: "BR", name: "Brazil", region: "LATAM", timeZone: "America/Sao_Paulo", tld: "com.br", weight: 4 },
  { code: "MX", name: "Mexico", region: "LATAM", timeZone: "America/Mexico_City", tld: "mx", weight: 2 },
];

export const FREE_MAIL = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com", "proton.me"] as const;

export const TITLES = {
  exec: ["CEO", "CTO", "CFO", "COO", "Chief Data Officer", "VP Engineering", "VP Sales", "VP Operations", "VP Finance"],
  director: ["Director of Data", "Head of Analytics", "Director of Engineering", "Head of Revenue Operations", "Director of IT", "Head of Product"],
  manager: ["Analytics Manager", "Engineering Manager", "Finance Manager", "Operations Manager", "Product Manager", "IT Manager"],
  ic: ["Data Analyst", "Software Engineer", "Data Engineer", "Business Analyst", "Developer", "Consultant", "Student", "Intern"],
} as const;

export const PRODUCTS = ["analytics", "platform", "api", "payments"] as const;
export type Product = (typeof PRODUCTS)[number];

export const PRODUCT_LABELS: Record<Product, string> = {
  analytics: "Analytics Cloud",
  platform: "Data Platform",
  api: "Developer API",
  payments: "Payments Insights",
};

/** Intent categories of the default taxonomy (see the AI classification issue). */
export const CATEGORIES = [
  "sales_enterprise", "pricing_demo", "support_request", "job_application", "partner_request",
  "vendor_solicitation", "low_fit", "spam",
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CHANNELS = ["web", "paid_ads", "content", "event", "referral", "partner"] as const;
export type Channel = (typeof CHANNELS)[number];

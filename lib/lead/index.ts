/** Lead normalisation: pure helpers for the ingestion pipeline and the CSV import. */

export * from "./company";
export * from "./company-domain";
export * from "./country";
export * from "./dedupe";
export * from "./disposable";
export * from "./domain";
export * from "./email";
export * from "./employees";
export * from "./free-mail-domains";
export * from "./junk";
export * from "./lead.schema";
export * from "./normalize-lead";
export * from "./phone";
export * from "./seniority";
export * from "./text";

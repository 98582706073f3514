/**
 * CSV import, the pure parts: target fields per kind, the mapping schema, cell parsers (dates, numbers, money,
 * booleans), type detection from a sample, the suggested mapping, the row mapper, synthesized received times,
 * imported history as events with its projection, and routing facts. No I/O: the server streams the file, resolves
 * reps and accounts, and writes. Format and behaviour: docs/import.md.
 */
export * from "./dates";
export * from "./describe";
export * from "./detect";
export * from "./history";
export * from "./lead-facts";
export * from "./map-row";
export * from "./mapping.schema";
export * from "./suggest";
export * from "./synthesize";
export * from "./targets";
export * from "./values";

/** Lead scoring: an explainable points model (config, compile, score) and the default B2B config. */

export * from "./default-config";
export * from "./facts";
export * from "./score";
export * from "./scoring.schema";

export * from "./simulate";
export { uuidAt } from "./lead-id";

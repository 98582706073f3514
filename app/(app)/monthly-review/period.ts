/** A review's period in words, for the pages (server and client components alike). */
export { periodLabel, reviewTitle } from "@/lib/review/period";

/** A review's period in words, for the pages (server and client components alike). */
export { addDays, dayLabel, periodLabel, reviewTitle } from "@/lib/review/period";

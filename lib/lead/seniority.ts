/**
 * Seniority from a free-text job title, for scoring and routing ("VP Sales" → vp, "Head of Growth" → director).
 *
 * Levels, highest first: c_level (C-suite, founders, owners, presidents, managing directors/partners, board
 * chairs), vp, director (directors, heads of, general managers, AVPs), manager (managers, leads, supervisors),
 * individual (any other title). Assistants *to* an executive and interns are individual whatever executive
 * word their title contains; "Assistant/Associate/Deputy" in front of a level lowers it by one. English,
 * German, French, Spanish, Portuguese and Italian title words are recognised. A regex table is used instead of
 * a classifier: titles are short, the vocabulary is closed, and every decision must be explainable.
 */

import { z } from "zod";
import { foldKey } from "./text";

export const SENIORITIES = ["c_level", "vp", "director", "manager", "individual"] as const;
export const Seniority = z.enum(SENIORITIES);
export type Seniority = z.infer<typeof Seniority>;

const SUPPORT_ROLE =
  /\b(?:executive|personal|administrative|admin|office) assistant\b|\bassistant to\b|\bea to\b|\bpa to\b|\b(?:intern|internship|trainee|student|apprentice|werkstudent(?:in)?|praktikant(?:in)?|stagiaire|becario|becaria|estagiario|estagiaria|tirocinante)\b/u;

const C_LEVEL = [
  /\b(?:ceo|cto|cfo|coo|cmo|cio|ciso|cso|cro|cpo|cdo|chro|cco|cxo|cao|cbo|cgo|cno)\b/u,
  /\bchief\b(?! of staff)/u,
  /\b(?:co ?)?founder\b|\b(?:co ?)?owner\b|\bproprietor\b|\bentrepreneur\b/u,
  /(?<!vice )(?<!vice-)\bpresident\b/u,
  /\bmanaging (?:director|partner)\b|\bexecutive director\b|\bdirector general\b|\bgeneral director\b/u,
  /\b(?:chair|chairman|chairwoman|chairperson)\b|\bboard member\b/u,
  /^(?:senior |managing |equity |founding |name )?partner\b(?! (?:manager|marketing|success|sales|account|programs?|relations|development|enablement))/u,
  /\b(?:geschaftsfuhrer(?:in)?|inhaber(?:in)?|grunder(?:in)?|vorstand(?:svorsitzender)?|directeur general|directrice generale|pdg|presidente|fondateur|fondatrice|fundador(?:a)?|fondatore|fondatrice|amministratore delegato|diretor(?:a)? executivo|diretor(?:a)? geral|director(?:a)? ejecutivo|director(?:a)? general|gerente general|socio director|dueno|duena|propietario|propietaria)\b/u,
];

const VP = /\b(?:vice ?president|vp|svp|evp|avp|vize ?prasident(?:in)?|vicepresidente|vice president|vice-president|vice-presidente)\b/u;

const DIRECTOR = [
  /\bdirector\b|\bdirectora\b|\bdirecteur\b|\bdirectrice\b|\bdirektor(?:in)?\b|\bdiretor(?:a)?\b|\bdirettore\b|\bdirettrice\b/u,
  /\bchief of staff\b|\bhead\b|\bgeneral manager\b|\bgm\b|\b(?:bereichsleiter|abteilungsleiter|hauptabteilungsleiter|leiter|leiterin|prokurist(?:in)?)\b/u,
  /\bresponsable de departamento\b|\bjefe de departamento\b/u,
];

const MANAGER =
  /\b(?:manager|mgr|managerin|lead(?! gen)|leader|supervisor|teamleiter(?:in)?|gruppenleiter(?:in)?|gerente|gestor(?:a)?|responsable|jefe|jefa|chef de|superintendent|foreman)\b/u;

/** Words that lower the level they directly precede by one ("Assistant Director" → manager). */
const DOWNGRADE_BEFORE =
  /\b(?:assistant|associate|deputy|asst|assoc|vice|stellvertretender?|adjointe?|adjunto|adjunta)\s+(?:to the\s+)?$/u;

function lower(level: Seniority): Seniority {
  return SENIORITIES[SENIORITIES.indexOf(level) + 1] ?? "individual";
}

function matchLevel(title: string): Seniority {
  if (SUPPORT_ROLE.test(title)) return "individual";
  if (C_LEVEL.some((re) => re.test(title))) return "c_level";
  if (VP.test(title)) {
    return /\b(?:assistant|associate|asst|assoc) vice ?president\b|\bavp\b/u.test(title) ? "director" : "vp";
  }
  const levels: ReadonlyArray<readonly [Seniority, readonly RegExp[]]> = [
    ["director", DIRECTOR],
    ["manager", [MANAGER]],
  ];
  for (const [level, patterns] of levels) {
    for (const re of patterns) {
      const m = re.exec(title);
      if (m !== null) return DOWNGRADE_BEFORE.test(title.slice(0, m.index)) ? lower(level) : level;
    }
  }
  return "individual";
}

/**
 * The seniority level of a job title (see module doc), or null for an empty title. Case, accents, punctuation
 * ("C.E.O.", "Sr.", "V.P.") and extra spaces do not matter. Never throws.
 */
export function seniorityFromTitle(title: string | null | undefined): Seniority | null {
  if (typeof title !== "string") return null;
  const t = foldKey(title)
    .replace(/\b([a-z])\.(?=[a-z]\.?)/gu, "$1")
    .replace(/\b([a-z])\.(?=\s|$)/gu, "$1")
    .replace(/[&/,|;:()[\]+.]/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
  if (t === "") return null;
  return matchLevel(t);
}

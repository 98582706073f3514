/**
 * `npm run classifier:train [-- --workspace <slug>] [-- --no-eval]`: retrains each workspace's offline classifier from
 * the shipped labelled set plus the workspace's own labels (review-queue corrections, imported labels, leads reps
 * rejected as spam), evaluates it by stratified 5-fold cross-validation, stores it and makes it the active model.
 * Running servers pick it up on their next lead (the workspace's config version moves).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { createDatabase } from "../index";
import { migrateToLatest } from "../migrate";
import { trainOfflineModel } from "../../server/services/classify/classifier.service";

const { values: args } = parseArgs({ options: { workspace: { type: "string" }, "no-eval": { type: "boolean" } } });
const dataDir = path.resolve(process.env.DATA_DIR ?? ".data", "pglite");
const handle = createDatabase({ url: process.env.DATABASE_URL || undefined, dataDir });
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
try {
  await migrateToLatest(handle.db);
  let query = handle.db.selectFrom("workspaces").select(["id", "slug", "name"]);
  if (args.workspace) query = query.where("slug", "=", args.workspace);
  const workspaces = await query.execute();
  if (workspaces.length === 0) throw new Error(args.workspace ? `No workspace with the slug “${args.workspace}”.` : "The database has no workspace yet: run `npm run db:seed` or start the app first.");
  for (const w of workspaces) {
    const t = await trainOfflineModel(handle.db, w.id, { evaluate: !args["no-eval"], actorUserId: null });
    const own = t.counts.review + t.counts.rejection + t.counts.import + t.counts.manual;
    console.log(`${w.name} (${w.slug}): model ${t.modelId} trained on ${t.trainingSize} texts (${t.counts.shipped} shipped, ${own} the workspace's own: ${t.counts.review} review, ${t.counts.import} import, ${t.counts.rejection} spam rejections, ${t.counts.manual} manual) in ${(t.trainMs / 1000).toFixed(1)} s`);
    const e = t.evaluation;
    if (e) {
      console.log(`  5-fold: accuracy ${pct(e.accuracy)}, macro-F1 ${pct(e.macroF1)}, ECE ${e.ece.toFixed(3)}; ` +
        (e.recommended ? `recommended threshold ${pct(e.recommended.threshold)} (triage ${pct(e.recommended.triageRate)}, kept accuracy ${pct(e.recommended.accuracy ?? 0)})` : `no threshold triages ≤ ${pct(e.targetTriageRate)}`));
      for (const c of e.perClass) console.log(`  ${c.label.padEnd(22)} precision ${pct(c.precision).padStart(6)}  recall ${pct(c.recall).padStart(6)}  n=${c.support}`);
    }
  }
} catch (error) {
  console.error(`classifier:train: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}

/** CSV import (admin, ops): jobs, analysis of an uploaded file, preview, start, pause, resume. Uploads: POST /api/imports. */
import { z } from "zod";
import { env } from "../../env";
import {
  analyzeImportJob, getImportJob, listImportJobs, pauseImportJob, previewImportJob, resumeImportJob, startImportJob,
} from "../../services/import/import-jobs.service";
import { OPS_ROLES, procedure, requireUser, router, type Context } from "../init";

const JobId = z.object({ id: z.uuid({ error: "Not an import id." }) });
/** The mapping is checked by the service (ImportMapping + the file's header) so errors name the field. */
const WithMapping = JobId.extend({ mapping: z.unknown() });

function deps(ctx: Context) {
  return { db: ctx.db, now: ctx.now, dataDir: env().dataDir };
}

function actor(ctx: Context) {
  const user = requireUser(ctx);
  return { workspaceId: user.workspaceId, id: user.id };
}

export const importRouter = router({
  list: procedure.meta({ roles: OPS_ROLES }).query(({ ctx }) => listImportJobs(deps(ctx), actor(ctx))),

  get: procedure.meta({ roles: OPS_ROLES }).input(JobId).query(({ ctx, input }) => getImportJob(deps(ctx), actor(ctx), input.id)),

  analyze: procedure.meta({ roles: OPS_ROLES }).input(JobId).query(({ ctx, input }) => analyzeImportJob(deps(ctx), actor(ctx), input.id)),

  preview: procedure
    .meta({ roles: OPS_ROLES })
    .input(WithMapping)
    .mutation(({ ctx, input }) => previewImportJob(deps(ctx), actor(ctx), input.id, input.mapping)),

  start: procedure
    .meta({ roles: OPS_ROLES })
    .input(WithMapping)
    .mutation(async ({ ctx, input }) => (await startImportJob(deps(ctx), actor(ctx), input.id, input.mapping)).job),

  pause: procedure.meta({ roles: OPS_ROLES }).input(JobId).mutation(({ ctx, input }) => pauseImportJob(deps(ctx), actor(ctx), input.id)),

  resume: procedure
    .meta({ roles: OPS_ROLES })
    .input(JobId)
    .mutation(async ({ ctx, input }) => (await resumeImportJob(deps(ctx), actor(ctx), input.id)).job),
});

// Reports as jobs (`report`): the request of POST /reports made in the background, its file kept
// as the job's result. It lives with the routes because it renders (services do not import
// renderers); every server registers it before its runner starts, so any server can run it.
import { ok } from '../core/result.js';
import type { JobHandler } from '../services/jobs/job-handler.js';
import { makeReport, parseReportRequest, type ReportRequest } from './report-requests.js';

export const REPORT_JOB = 'report';

export const reportJob: JobHandler<ReportRequest> = {
  kind: REPORT_JOB,
  // Anyone signed in may ask: the report's own service reads within their scope or refuses.
  capability: null,
  // It reads (and an audited read records itself again): run again from the start when its server dies.
  rerunnable: true,
  parseInput: parseReportRequest,
  async run(ctx, actor, request, progress) {
    progress(0, 2, `reading the record for the ${request.report} report`);
    const made = await makeReport(ctx, actor, request);
    if (!made.ok) return made;
    progress(2, 2, `${made.value.fileName} made`);
    return ok({
      fileName: made.value.fileName,
      contentType: made.value.contentType,
      bytes: made.value.bytes,
      summary: { report: request.report, format: request.format, bytes: made.value.bytes.length },
    });
  },
};

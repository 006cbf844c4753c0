-- A job's row changed ('jobs': queued, claimed, its progress, its end): every server forgets the
-- job answers it kept (src/api/read-cache.ts). Jobs are written off the one road (no audit entry),
-- so the audit trigger never told of them.
CREATE TRIGGER jobs_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON jobs
  FOR EACH STATEMENT EXECUTE FUNCTION notify_changes('jobs');

-- Constraints drizzle-kit cannot express: the overlap exclusion (needs btree_gist) and the audit guard.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
-- A second current restriction of the same kind for the same country and program may not overlap
-- in time; corrections supersede the old version first, so only current versions take part.
ALTER TABLE restriction_spans ADD CONSTRAINT restriction_spans_no_overlap
  EXCLUDE USING gist (
    country_iso3 WITH =,
    kind WITH =,
    program_code WITH =,
    daterange(valid_from, valid_until, '[)') WITH &&
  ) WHERE (superseded_at IS NULL);
--> statement-breakpoint
-- The audit log is append-only: the application can insert, never update or delete.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Human-rights findings on a participant (22 USC 2347g(c)) are appended, never edited or removed.
CREATE FUNCTION human_rights_findings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'human_rights_findings is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER human_rights_findings_no_update BEFORE UPDATE OR DELETE ON human_rights_findings
  FOR EACH ROW EXECUTE FUNCTION human_rights_findings_append_only();--> statement-breakpoint
CREATE TRIGGER human_rights_findings_no_truncate BEFORE TRUNCATE ON human_rights_findings
  FOR EACH STATEMENT EXECUTE FUNCTION human_rights_findings_append_only();

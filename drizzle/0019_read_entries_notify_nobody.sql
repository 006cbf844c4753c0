-- An audited read appends a `read` entry to the audit log but changes no record: it no longer
-- tells every server to forget what it kept (answers, the index of names). Only a statement that
-- appends at least one entry of another action notifies 'write'.
CREATE FUNCTION notify_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM appended WHERE action <> 'read') THEN
    PERFORM pg_notify('attache_changes', 'write');
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER audit_log_written ON audit_log;
--> statement-breakpoint
CREATE TRIGGER audit_log_written AFTER INSERT ON audit_log
  REFERENCING NEW TABLE AS appended
  FOR EACH STATEMENT EXECUTE FUNCTION notify_written();

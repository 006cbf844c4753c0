-- An audited read appends a `read` entry to the audit log but changes no record: it still tells no
-- cache of the record to forget anything (migration 0019), but it now says 'read', so that a server
-- keeping a page of the audit log itself (which lists read entries) forgets it. A statement that
-- appends entries of other actions notifies 'write', one that appends read entries 'read' (both,
-- for a statement appending both; identical payloads of one transaction are delivered once).
CREATE OR REPLACE FUNCTION notify_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM appended WHERE action <> 'read') THEN
    PERFORM pg_notify('attache_changes', 'write');
  END IF;
  IF EXISTS (SELECT 1 FROM appended WHERE action = 'read') THEN
    PERFORM pg_notify('attache_changes', 'read');
  END IF;
  RETURN NULL;
END;
$$;

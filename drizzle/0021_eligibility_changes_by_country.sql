-- Each country whose eligibility records a transaction changed is named in a notification of its
-- own ('eligibility:PAK'; 'eligibility:courses' and 'eligibility:countries' when those changed), so
-- a server keeps answering questions about every other country from its index while it reads
-- that country's change. The notification '' each change also sends stays, for servers of the
-- version before.
CREATE FUNCTION notify_eligibility_topics() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('attache_changes', 'eligibility:' || t.topic)
  FROM (SELECT DISTINCT topic FROM logged) t;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER eligibility_changes_logged AFTER INSERT ON eligibility_changes
  REFERENCING NEW TABLE AS logged
  FOR EACH STATEMENT EXECUTE FUNCTION notify_eligibility_topics();

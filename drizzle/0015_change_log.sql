CREATE TABLE "eligibility_changes" (
	"seq" bigint NOT NULL,
	"topic" text NOT NULL,
	"record" text NOT NULL,
	"record_id" text NOT NULL,
	CONSTRAINT "eligibility_changes_seq_topic_record_record_id_pk" PRIMARY KEY("seq","topic","record","record_id")
);

--> statement-breakpoint
-- What each statement writing the eligibility records (or the courses and countries they are
-- checked against) changed: the change counter's next value, and per record written its country
-- (topic), kind and id; 'courses' or 'countries' as the topic when those changed (or a record's
-- country cannot be found: everything is read again). One notification per transaction on
-- channel attache_changes (identical payloads are folded into one and delivered at commit). The
-- counter's row lock orders the values as the commits; the last 100000 values are kept
-- (CHANGE_LOG_WINDOW in src/store/eligibility.repository.ts).
CREATE FUNCTION next_change_seq() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  next_seq bigint;
BEGIN
  UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value INTO next_seq;
  DELETE FROM eligibility_changes WHERE seq <= next_seq - 100000;
  PERFORM pg_notify('attache_changes', '');
  RETURN next_seq;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION restriction_versions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  next_seq bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM changed) THEN
    next_seq := next_change_seq();
    INSERT INTO eligibility_changes (seq, topic, record, record_id)
    SELECT DISTINCT next_seq, coalesce(r.country_iso3, 'countries'), 'restriction', c.restriction_id
    FROM changed c
    LEFT JOIN restrictions r ON r.id = c.restriction_id;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION relief_versions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  next_seq bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM changed) THEN
    next_seq := next_change_seq();
    INSERT INTO eligibility_changes (seq, topic, record, record_id)
    SELECT DISTINCT next_seq, coalesce(r.country_iso3, 'countries'), 'relief', c.relief_id
    FROM changed c
    LEFT JOIN reliefs rl ON rl.id = c.relief_id
    LEFT JOIN restrictions r ON r.id = rl.restriction_id;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION notifications_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  next_seq bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM changed) THEN
    next_seq := next_change_seq();
    INSERT INTO eligibility_changes (seq, topic, record, record_id)
    SELECT DISTINCT next_seq, c.country_iso3, 'notification', c.id
    FROM changed c;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION courses_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed) THEN
    INSERT INTO eligibility_changes (seq, topic, record, record_id)
    VALUES (next_change_seq(), 'courses', '', '');
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION countries_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed) THEN
    INSERT INTO eligibility_changes (seq, topic, record, record_id)
    VALUES (next_change_seq(), 'countries', '', '');
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- TRUNCATE has no transition table: whatever was truncated, everything is read again.
CREATE FUNCTION everything_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO eligibility_changes (seq, topic, record, record_id)
  VALUES (next_change_seq(), 'countries', '', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER restrictions_changed ON restriction_versions;
--> statement-breakpoint
DROP TRIGGER reliefs_changed ON relief_versions;
--> statement-breakpoint
DROP TRIGGER notifications_changed ON congressional_notifications;
--> statement-breakpoint
DROP TRIGGER courses_changed ON courses;
--> statement-breakpoint
DROP FUNCTION bump_change_counter();
--> statement-breakpoint
CREATE TRIGGER restriction_versions_inserted AFTER INSERT ON restriction_versions
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION restriction_versions_changed();
--> statement-breakpoint
CREATE TRIGGER restriction_versions_updated AFTER UPDATE ON restriction_versions
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION restriction_versions_changed();
--> statement-breakpoint
CREATE TRIGGER restriction_versions_deleted AFTER DELETE ON restriction_versions
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION restriction_versions_changed();
--> statement-breakpoint
CREATE TRIGGER restriction_versions_truncated AFTER TRUNCATE ON restriction_versions
  FOR EACH STATEMENT EXECUTE FUNCTION everything_changed();
--> statement-breakpoint
CREATE TRIGGER relief_versions_inserted AFTER INSERT ON relief_versions
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION relief_versions_changed();
--> statement-breakpoint
CREATE TRIGGER relief_versions_updated AFTER UPDATE ON relief_versions
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION relief_versions_changed();
--> statement-breakpoint
CREATE TRIGGER relief_versions_deleted AFTER DELETE ON relief_versions
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION relief_versions_changed();
--> statement-breakpoint
CREATE TRIGGER relief_versions_truncated AFTER TRUNCATE ON relief_versions
  FOR EACH STATEMENT EXECUTE FUNCTION everything_changed();
--> statement-breakpoint
CREATE TRIGGER notifications_inserted AFTER INSERT ON congressional_notifications
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notifications_changed();
--> statement-breakpoint
CREATE TRIGGER notifications_updated AFTER UPDATE ON congressional_notifications
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notifications_changed();
--> statement-breakpoint
CREATE TRIGGER notifications_deleted AFTER DELETE ON congressional_notifications
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION notifications_changed();
--> statement-breakpoint
CREATE TRIGGER notifications_truncated AFTER TRUNCATE ON congressional_notifications
  FOR EACH STATEMENT EXECUTE FUNCTION everything_changed();
--> statement-breakpoint
CREATE TRIGGER courses_inserted AFTER INSERT ON courses
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION courses_changed();
--> statement-breakpoint
CREATE TRIGGER courses_updated AFTER UPDATE ON courses
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION courses_changed();
--> statement-breakpoint
CREATE TRIGGER courses_deleted AFTER DELETE ON courses
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION courses_changed();
--> statement-breakpoint
CREATE TRIGGER courses_truncated AFTER TRUNCATE ON courses
  FOR EACH STATEMENT EXECUTE FUNCTION everything_changed();
--> statement-breakpoint
CREATE TRIGGER countries_inserted AFTER INSERT ON countries
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION countries_changed();
--> statement-breakpoint
CREATE TRIGGER countries_updated AFTER UPDATE ON countries
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION countries_changed();
--> statement-breakpoint
CREATE TRIGGER countries_deleted AFTER DELETE ON countries
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION countries_changed();
--> statement-breakpoint
CREATE TRIGGER countries_truncated AFTER TRUNCATE ON countries
  FOR EACH STATEMENT EXECUTE FUNCTION everything_changed();

-- Every write to the eligibility records (and the catalog) bumps the counter, so each process can
-- tell whether its in-memory index is still current before it answers.
INSERT INTO change_counter (id, value) VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION bump_change_counter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE change_counter SET value = value + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER restrictions_changed AFTER INSERT OR UPDATE OR DELETE ON restriction_versions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counter();
--> statement-breakpoint
CREATE TRIGGER reliefs_changed AFTER INSERT OR UPDATE OR DELETE ON relief_versions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counter();
--> statement-breakpoint
CREATE TRIGGER notifications_changed AFTER INSERT OR UPDATE OR DELETE ON congressional_notifications
  FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counter();
--> statement-breakpoint
CREATE TRIGGER courses_changed AFTER INSERT OR UPDATE OR DELETE ON courses
  FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counter();

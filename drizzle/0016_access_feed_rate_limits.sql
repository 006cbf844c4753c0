CREATE TABLE "rate_counts" (
	"key" text NOT NULL,
	"window_start" bigint NOT NULL,
	"used" integer NOT NULL,
	CONSTRAINT "rate_counts_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
CREATE INDEX "rate_counts_window_idx" ON "rate_counts" USING btree ("window_start");--> statement-breakpoint
-- Notifies attache_changes with the trigger's argument as the payload: one notification per
-- transaction and payload (identical ones fold into one, delivered at commit).
CREATE FUNCTION notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('attache_changes', TG_ARGV[0]);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Accounts, their scopes, API tokens and sessions changed ('access'): every server forgets the
-- callers it remembered (src/services/access/credential-cache.ts). A token's or session's last use
-- is not a change.
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION notify_changes('access');
--> statement-breakpoint
CREATE TRIGGER user_scopes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_scopes
  FOR EACH STATEMENT EXECUTE FUNCTION notify_changes('access');
--> statement-breakpoint
CREATE TRIGGER api_tokens_changed
  AFTER UPDATE OF secret_hash, user_id, expires_at, revoked_at OR DELETE OR TRUNCATE ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION notify_changes('access');
--> statement-breakpoint
CREATE TRIGGER sessions_changed
  AFTER UPDATE OF secret_hash, user_id, csrf_hash, expires_at OR DELETE OR TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_changes('access');
--> statement-breakpoint
-- Anything written on the one road (every write appends to the audit log, 'write'): every server
-- forgets the answers it kept (src/api/read-cache.ts).
CREATE TRIGGER audit_log_written AFTER INSERT ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION notify_changes('write');

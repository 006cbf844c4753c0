ALTER TABLE "users" DROP CONSTRAINT "users_username_unique";--> statement-breakpoint
ALTER TABLE "user_scopes" DROP CONSTRAINT "user_scopes_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "user_scopes" ADD CONSTRAINT "user_scopes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "user_scopes_country_idx" ON "user_scopes" USING btree ("user_id","country_iso3");--> statement-breakpoint
CREATE UNIQUE INDEX "user_scopes_school_idx" ON "user_scopes" USING btree ("user_id","school_id");--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "username";
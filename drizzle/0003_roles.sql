CREATE TABLE "roles" (
	"code" text PRIMARY KEY NOT NULL,
	"description" text NOT NULL,
	CONSTRAINT "roles_code" CHECK ("roles"."code" in ('admin', 'program-manager', 'sco', 'imso', 'analyst'))
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role";--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_roles_code_fk" FOREIGN KEY ("role") REFERENCES "public"."roles"("code") ON DELETE no action ON UPDATE no action;
ALTER TABLE "import_runs" DROP CONSTRAINT "import_runs_kind";--> statement-breakpoint
ALTER TABLE "relief_versions" ADD COLUMN "date_quality" text;--> statement-breakpoint
ALTER TABLE "relief_versions" ADD COLUMN "until_quality" text;--> statement-breakpoint
ALTER TABLE "relief_versions" ADD COLUMN "scope_stated" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "relief_versions" ADD COLUMN "import_run_id" text;--> statement-breakpoint
ALTER TABLE "restriction_versions" ADD COLUMN "until_quality" text;--> statement-breakpoint
ALTER TABLE "restriction_versions" ADD COLUMN "lift_notification_id" text;--> statement-breakpoint
ALTER TABLE "restriction_versions" ADD COLUMN "import_run_id" text;--> statement-breakpoint
ALTER TABLE "relief_versions" ADD CONSTRAINT "relief_versions_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "public"."import_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restriction_versions" ADD CONSTRAINT "restriction_versions_lift_notification_id_congressional_notifications_id_fk" FOREIGN KEY ("lift_notification_id") REFERENCES "public"."congressional_notifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restriction_versions" ADD CONSTRAINT "restriction_versions_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "public"."import_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_kind" CHECK ("import_runs"."kind" in ('budget', 'history', 'courses', 'students', 'allocations', 'lines'));--> statement-breakpoint
ALTER TABLE "relief_versions" ADD CONSTRAINT "relief_versions_date_quality" CHECK (("relief_versions"."date_quality" is null or "relief_versions"."date_quality" in ('exact', 'month', 'year', 'approx')) and ("relief_versions"."until_quality" is null or "relief_versions"."until_quality" in ('exact', 'month', 'year', 'approx')));--> statement-breakpoint
ALTER TABLE "restriction_versions" ADD CONSTRAINT "restriction_versions_until_quality" CHECK ("restriction_versions"."until_quality" is null or "restriction_versions"."until_quality" in ('exact', 'month', 'year', 'approx'));
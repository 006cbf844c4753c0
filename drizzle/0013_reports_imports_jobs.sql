CREATE TABLE "budget_figures" (
	"id" text PRIMARY KEY NOT NULL,
	"import_run_id" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"budget_stage" text NOT NULL,
	"account" text NOT NULL,
	"line_name" text NOT NULL,
	"country_iso3" text,
	"kind" text NOT NULL,
	"region" text,
	"amount_thousands" bigint NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"superseded_at" timestamp with time zone,
	CONSTRAINT "budget_figures_stage" CHECK ("budget_figures"."budget_stage" = 'unstated' or "budget_figures"."budget_stage" in ('request', 'estimate', 'enacted')),
	CONSTRAINT "budget_figures_kind" CHECK ("budget_figures"."kind" in ('country', 'total', 'region', 'regional-program', 'central', 'multi-country', 'unrecognised'))
);
--> statement-breakpoint
CREATE TABLE "committee_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"country_iso3" text NOT NULL,
	"committee" text NOT NULL,
	"requested_on" date NOT NULL,
	"source" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"budget_stage" text,
	"summary" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	CONSTRAINT "import_runs_kind" CHECK ("import_runs"."kind" in ('budget', 'courses', 'students', 'allocations', 'lines')),
	CONSTRAINT "import_runs_budget_stage" CHECK ("import_runs"."budget_stage" is null or "import_runs"."budget_stage" in ('request', 'estimate', 'enacted')),
	CONSTRAINT "import_runs_sha256" CHECK ("import_runs"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"input" text NOT NULL,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer,
	"progress_note" text,
	"result_file_name" text,
	"result_content_type" text,
	"result_bytes" "bytea",
	"outcome" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "jobs_status" CHECK ("jobs"."status" in ('queued', 'running', 'succeeded', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "allocations" ADD COLUMN "budget_stage" text;--> statement-breakpoint
ALTER TABLE "budget_lines" ADD COLUMN "budget_stage" text;--> statement-breakpoint
ALTER TABLE "training_lines" ADD COLUMN "purpose" text;--> statement-breakpoint
ALTER TABLE "budget_figures" ADD CONSTRAINT "budget_figures_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "public"."import_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_requests" ADD CONSTRAINT "committee_requests_country_iso3_countries_iso3_fk" FOREIGN KEY ("country_iso3") REFERENCES "public"."countries"("iso3") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "budget_figures_current" ON "budget_figures" USING btree ("fiscal_year","budget_stage","account","line_name") WHERE "budget_figures"."superseded_at" is null;--> statement-breakpoint
CREATE INDEX "budget_figures_country_idx" ON "budget_figures" USING btree ("country_iso3","fiscal_year");--> statement-breakpoint
CREATE UNIQUE INDEX "committee_requests_unique" ON "committee_requests" USING btree ("country_iso3","committee","requested_on");--> statement-breakpoint
CREATE INDEX "import_runs_kind_idx" ON "import_runs" USING btree ("kind","recorded_at");--> statement-breakpoint
CREATE INDEX "jobs_created_by_idx" ON "jobs" USING btree ("created_by","created_at");--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_budget_stage" CHECK ("allocations"."budget_stage" is null or "allocations"."budget_stage" in ('request', 'estimate', 'enacted'));--> statement-breakpoint
ALTER TABLE "budget_lines" ADD CONSTRAINT "budget_lines_budget_stage" CHECK ("budget_lines"."budget_stage" is null or "budget_lines"."budget_stage" in ('request', 'estimate', 'enacted'));
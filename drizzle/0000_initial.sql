CREATE TABLE "allocations" (
	"id" text PRIMARY KEY NOT NULL,
	"country_iso3" text NOT NULL,
	"program_code" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"amount_cents" bigint NOT NULL,
	"reason" text NOT NULL,
	"source" text,
	"notification_id" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"superseded_at" timestamp with time zone,
	"recorded_by" text NOT NULL,
	CONSTRAINT "allocations_amount" CHECK ("allocations"."amount_cents" >= 0),
	CONSTRAINT "allocations_fy" CHECK ("allocations"."fiscal_year" between 1950 and 2100)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"recorded_at" text NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" text,
	"after" text,
	"reason" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_log_seq" CHECK ("audit_log"."seq" > 0)
);
--> statement-breakpoint
CREATE TABLE "budget_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"fiscal_year" integer NOT NULL,
	"program_code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"region" text,
	"amount_cents" bigint NOT NULL,
	"source" text,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "budget_lines_amount" CHECK ("budget_lines"."amount_cents" >= 0),
	CONSTRAINT "budget_lines_kind" CHECK ("budget_lines"."kind" in ('total', 'region', 'regional-program', 'central', 'multi-country', 'unrecognised'))
);
--> statement-breakpoint
CREATE TABLE "career_positions" (
	"id" text PRIMARY KEY NOT NULL,
	"student_id" text NOT NULL,
	"title" text NOT NULL,
	"rank" text,
	"us_grade" text,
	"from_date" date NOT NULL,
	"prominent" boolean DEFAULT false NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "congressional_notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"country_iso3" text NOT NULL,
	"subject" text NOT NULL,
	"notified_on" date NOT NULL,
	"wait_days" integer DEFAULT 15 NOT NULL,
	"window_ends_on" date NOT NULL,
	"source" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	CONSTRAINT "congressional_notifications_wait" CHECK ("congressional_notifications"."wait_days" >= 0),
	CONSTRAINT "congressional_notifications_window" CHECK ("congressional_notifications"."window_ends_on" = "congressional_notifications"."notified_on" + "congressional_notifications"."wait_days")
);
--> statement-breakpoint
CREATE TABLE "countries" (
	"iso3" text PRIMARY KEY NOT NULL,
	"iso2" text NOT NULL,
	"name" text NOT NULL,
	"nato_member" boolean DEFAULT false NOT NULL,
	"fmt_report_excluded" boolean DEFAULT false NOT NULL,
	"grant_imet_excluded" boolean DEFAULT false NOT NULL,
	CONSTRAINT "countries_iso3_format" CHECK ("countries"."iso3" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "course_tuition" (
	"course_id" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"tuition_cents" bigint NOT NULL,
	"illustrative" boolean DEFAULT false NOT NULL,
	CONSTRAINT "course_tuition_course_id_fiscal_year_pk" PRIMARY KEY("course_id","fiscal_year"),
	CONSTRAINT "course_tuition_amount" CHECK ("course_tuition"."tuition_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "courses" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"school_id" text NOT NULL,
	"category" text NOT NULL,
	"e_imet" boolean DEFAULT false NOT NULL,
	"dedicated" boolean DEFAULT false NOT NULL,
	"length_weeks" integer NOT NULL,
	"ecl_min" integer,
	"opi_min" text,
	"retired_on" date,
	"source" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "courses_category" CHECK ("courses"."category" in ('PME', 'technical', 'english', 'other')),
	CONSTRAINT "courses_length" CHECK ("courses"."length_weeks" > 0),
	CONSTRAINT "courses_ecl" CHECK ("courses"."ecl_min" is null or "courses"."ecl_min" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "program_group_members" (
	"group_code" text NOT NULL,
	"program_code" text NOT NULL,
	CONSTRAINT "program_group_members_group_code_program_code_pk" PRIMARY KEY("group_code","program_code")
);
--> statement-breakpoint
CREATE TABLE "program_groups" (
	"code" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "relief_versions" (
	"relief_id" text NOT NULL,
	"version" integer NOT NULL,
	"type" text NOT NULL,
	"grounds" text,
	"programs" text[] NOT NULL,
	"course_ids" text[],
	"school_ids" text[],
	"notification_id" text,
	"valid_from" date NOT NULL,
	"valid_until" date,
	"authority" text NOT NULL,
	"justification" text NOT NULL,
	"source" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"superseded_at" timestamp with time zone,
	"recorded_by" text NOT NULL,
	CONSTRAINT "relief_versions_relief_id_version_pk" PRIMARY KEY("relief_id","version"),
	CONSTRAINT "relief_versions_type" CHECK ("relief_versions"."type" in ('exception', 'waiver', 'certification', 'rescission')),
	CONSTRAINT "relief_versions_grounds" CHECK ("relief_versions"."grounds" is null or "relief_versions"."grounds" in ('national-security', 'national-interest', 'humanitarian', 'extraordinary-circumstances')),
	CONSTRAINT "relief_versions_interval" CHECK ("relief_versions"."valid_until" is null or "relief_versions"."valid_until" > "relief_versions"."valid_from"),
	CONSTRAINT "relief_versions_programs" CHECK (cardinality("relief_versions"."programs") > 0)
);
--> statement-breakpoint
CREATE TABLE "reliefs" (
	"id" text PRIMARY KEY NOT NULL,
	"restriction_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "restriction_spans" (
	"restriction_id" text NOT NULL,
	"version" integer NOT NULL,
	"program_code" text NOT NULL,
	"country_iso3" text NOT NULL,
	"kind" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date,
	"superseded_at" timestamp with time zone,
	CONSTRAINT "restriction_spans_restriction_id_version_program_code_pk" PRIMARY KEY("restriction_id","version","program_code")
);
--> statement-breakpoint
CREATE TABLE "restriction_versions" (
	"restriction_id" text NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"scope" text[] NOT NULL,
	"programs" text[] NOT NULL,
	"course_filter" text,
	"basis" text NOT NULL,
	"authority" text NOT NULL,
	"determined_on" date,
	"valid_from" date NOT NULL,
	"valid_until" date,
	"seat_policy" text DEFAULT 'cancel' NOT NULL,
	"source" text,
	"description" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"superseded_at" timestamp with time zone,
	"recorded_by" text NOT NULL,
	CONSTRAINT "restriction_versions_restriction_id_version_pk" PRIMARY KEY("restriction_id","version"),
	CONSTRAINT "restriction_versions_kind" CHECK ("restriction_versions"."kind" in ('policy', 'coup', 'terrorism', 'child-soldiers', 'arrears', 'human-rights', 'exclusion', 'proviso')),
	CONSTRAINT "restriction_versions_seat_policy" CHECK ("restriction_versions"."seat_policy" in ('cancel', 'hold')),
	CONSTRAINT "restriction_versions_interval" CHECK ("restriction_versions"."valid_until" is null or "restriction_versions"."valid_until" > "restriction_versions"."valid_from"),
	CONSTRAINT "restriction_versions_transaction_time" CHECK ("restriction_versions"."superseded_at" is null or "restriction_versions"."superseded_at" >= "restriction_versions"."recorded_at"),
	CONSTRAINT "restriction_versions_programs" CHECK (cardinality("restriction_versions"."programs") > 0)
);
--> statement-breakpoint
CREATE TABLE "restrictions" (
	"id" text PRIMARY KEY NOT NULL,
	"country_iso3" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"location" text NOT NULL,
	"department" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screenings" (
	"id" text PRIMARY KEY NOT NULL,
	"student_id" text NOT NULL,
	"seat_id" text,
	"kind" text NOT NULL,
	"outcome" text NOT NULL,
	"on_date" date NOT NULL,
	"valid_until" date,
	"score" integer,
	"notes" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	CONSTRAINT "screenings_score" CHECK ("screenings"."score" is null or "screenings"."score" between 0 and 100),
	CONSTRAINT "screenings_validity" CHECK ("screenings"."valid_until" is null or "screenings"."valid_until" >= "screenings"."on_date")
);
--> statement-breakpoint
CREATE TABLE "seats" (
	"id" text PRIMARY KEY NOT NULL,
	"line_id" text NOT NULL,
	"ordinal" integer NOT NULL,
	"status" text NOT NULL,
	"previous_status" text,
	"reason" text,
	"penalty_cents" bigint DEFAULT 0 NOT NULL,
	"restriction_id" text,
	"student_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "seats_status" CHECK ("seats"."status" in ('planned', 'programmed', 'nominated', 'cleared', 'ito-issued', 'in-training', 'completed', 'not-completed', 'cancelled', 'held')),
	CONSTRAINT "seats_previous_status" CHECK ("seats"."previous_status" is null or "seats"."previous_status" in ('planned', 'programmed', 'nominated', 'cleared', 'ito-issued', 'in-training', 'completed', 'not-completed', 'cancelled', 'held')),
	CONSTRAINT "seats_penalty" CHECK ("seats"."penalty_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "students" (
	"id" text PRIMARY KEY NOT NULL,
	"country_iso3" text NOT NULL,
	"family_name" text NOT NULL,
	"given_names" text NOT NULL,
	"name_variants" text[] DEFAULT '{}'::text[] NOT NULL,
	"birth_date" date,
	"birth_place" text,
	"service" text,
	"rank" text,
	"us_grade" text,
	"unit" text,
	"contact" text,
	"passport_number" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"country_iso3" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"course_id" text NOT NULL,
	"program_code" text NOT NULL,
	"seat_count" integer NOT NULL,
	"class_start" date NOT NULL,
	"priority" text NOT NULL,
	"unit_tuition_cents" bigint NOT NULL,
	"allowance_cents" bigint DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_lines_seats" CHECK ("training_lines"."seat_count" > 0),
	CONSTRAINT "training_lines_priority" CHECK ("training_lines"."priority" in ('A', 'B', 'D')),
	CONSTRAINT "training_lines_money" CHECK ("training_lines"."unit_tuition_cents" >= 0 and "training_lines"."allowance_cents" >= 0),
	CONSTRAINT "training_lines_class_in_fy" CHECK ("training_lines"."class_start" >= make_date("training_lines"."fiscal_year" - 1, 10, 1) and "training_lines"."class_start" < make_date("training_lines"."fiscal_year", 10, 1))
);
--> statement-breakpoint
CREATE TABLE "training_records" (
	"id" text PRIMARY KEY NOT NULL,
	"student_id" text NOT NULL,
	"seat_id" text,
	"course_id" text NOT NULL,
	"started_on" date,
	"ended_on" date,
	"outcome" text,
	"academic_report" text,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_records_dates" CHECK ("training_records"."ended_on" is null or "training_records"."started_on" is null or "training_records"."ended_on" >= "training_records"."started_on")
);
--> statement-breakpoint
CREATE TABLE "user_scopes" (
	"user_id" text NOT NULL,
	"country_iso3" text,
	"school_id" text,
	CONSTRAINT "user_scopes_one_target" CHECK (("user_scopes"."country_iso3" is null) <> ("user_scopes"."school_id" is null))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "users_role" CHECK ("users"."role" in ('admin', 'program-manager', 'sco', 'imso', 'analyst'))
);
--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_country_iso3_countries_iso3_fk" FOREIGN KEY ("country_iso3") REFERENCES "public"."countries"("iso3") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_program_code_programs_code_fk" FOREIGN KEY ("program_code") REFERENCES "public"."programs"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_notification_id_congressional_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."congressional_notifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_lines" ADD CONSTRAINT "budget_lines_program_code_programs_code_fk" FOREIGN KEY ("program_code") REFERENCES "public"."programs"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "career_positions" ADD CONSTRAINT "career_positions_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "congressional_notifications" ADD CONSTRAINT "congressional_notifications_country_iso3_countries_iso3_fk" FOREIGN KEY ("country_iso3") REFERENCES "public"."countries"("iso3") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_tuition" ADD CONSTRAINT "course_tuition_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_group_members" ADD CONSTRAINT "program_group_members_group_code_program_groups_code_fk" FOREIGN KEY ("group_code") REFERENCES "public"."program_groups"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_group_members" ADD CONSTRAINT "program_group_members_program_code_programs_code_fk" FOREIGN KEY ("program_code") REFERENCES "public"."programs"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relief_versions" ADD CONSTRAINT "relief_versions_relief_id_reliefs_id_fk" FOREIGN KEY ("relief_id") REFERENCES "public"."reliefs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relief_versions" ADD CONSTRAINT "relief_versions_notification_id_congressional_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."congressional_notifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reliefs" ADD CONSTRAINT "reliefs_restriction_id_restrictions_id_fk" FOREIGN KEY ("restriction_id") REFERENCES "public"."restrictions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restriction_spans" ADD CONSTRAINT "restriction_spans_program_code_programs_code_fk" FOREIGN KEY ("program_code") REFERENCES "public"."programs"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restriction_spans" ADD CONSTRAINT "restriction_spans_country_iso3_countries_iso3_fk" FOREIGN KEY ("country_iso3") REFERENCES "public"."countries"("iso3") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restriction_spans" ADD CONSTRAINT "restriction_spans_restriction_id_version_restriction_versions_restriction_id_version_fk" FOREIGN KEY ("restriction_id","version") REFERENCES "public"."restriction_versions"("restriction_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restriction_versions" ADD CONSTRAINT "restriction_versions_restriction_id_restrictions_id_fk" FOREIGN KEY ("restriction_id") REFERENCES "public"."restrictions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restrictions" ADD CONSTRAINT "restrictions_country_iso3_countries_iso3_fk" FOREIGN KEY ("country_iso3") REFERENCES "public"."countries"("iso3") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screenings" ADD CONSTRAINT "screenings_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screenings" ADD CONSTRAINT "screenings_seat_id_seats_id_fk" FOREIGN KEY ("seat_id") REFERENCES "public"."seats"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seats" ADD CONSTRAINT "seats_line_id_training_lines_id_fk" FOREIGN KEY ("line_id") REFERENCES "public"."training_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seats" ADD CONSTRAINT "seats_restriction_id_restrictions_id_fk" FOREIGN KEY ("restriction_id") REFERENCES "public"."restrictions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seats" ADD CONSTRAINT "seats_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "students" ADD CONSTRAINT "students_country_iso3_countries_iso3_fk" FOREIGN KEY ("country_iso3") REFERENCES "public"."countries"("iso3") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_lines" ADD CONSTRAINT "training_lines_country_iso3_countries_iso3_fk" FOREIGN KEY ("country_iso3") REFERENCES "public"."countries"("iso3") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_lines" ADD CONSTRAINT "training_lines_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_lines" ADD CONSTRAINT "training_lines_program_code_programs_code_fk" FOREIGN KEY ("program_code") REFERENCES "public"."programs"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_seat_id_seats_id_fk" FOREIGN KEY ("seat_id") REFERENCES "public"."seats"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_scopes" ADD CONSTRAINT "user_scopes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_scopes" ADD CONSTRAINT "user_scopes_country_iso3_countries_iso3_fk" FOREIGN KEY ("country_iso3") REFERENCES "public"."countries"("iso3") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_scopes" ADD CONSTRAINT "user_scopes_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "allocations_current" ON "allocations" USING btree ("country_iso3","program_code","fiscal_year") WHERE "allocations"."superseded_at" is null;--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "budget_lines_unique" ON "budget_lines" USING btree ("fiscal_year","program_code","name");--> statement-breakpoint
CREATE UNIQUE INDEX "relief_versions_current" ON "relief_versions" USING btree ("relief_id") WHERE "relief_versions"."superseded_at" is null;--> statement-breakpoint
CREATE INDEX "reliefs_restriction_idx" ON "reliefs" USING btree ("restriction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "restriction_versions_current" ON "restriction_versions" USING btree ("restriction_id") WHERE "restriction_versions"."superseded_at" is null;--> statement-breakpoint
CREATE INDEX "restrictions_country_idx" ON "restrictions" USING btree ("country_iso3");--> statement-breakpoint
CREATE UNIQUE INDEX "seats_line_ordinal" ON "seats" USING btree ("line_id","ordinal");--> statement-breakpoint
CREATE INDEX "seats_restriction_idx" ON "seats" USING btree ("restriction_id");--> statement-breakpoint
CREATE INDEX "students_country_idx" ON "students" USING btree ("country_iso3");--> statement-breakpoint
CREATE INDEX "training_lines_country_fy_idx" ON "training_lines" USING btree ("country_iso3","fiscal_year");
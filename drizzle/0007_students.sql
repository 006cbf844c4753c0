CREATE TABLE "english_exemptions" (
	"country_iso3" text PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"basis" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "english_exemptions_scope" CHECK ("english_exemptions"."scope" in ('full', 'in-country-testing'))
);
--> statement-breakpoint
CREATE TABLE "human_rights_findings" (
	"id" text PRIMARY KEY NOT NULL,
	"student_id" text NOT NULL,
	"found_on" date NOT NULL,
	"summary" text NOT NULL,
	"source" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nominations" (
	"id" text PRIMARY KEY NOT NULL,
	"seat_id" text NOT NULL,
	"student_id" text NOT NULL,
	"nominated_on" date NOT NULL,
	"attache_consulted_on" date NOT NULL,
	"attache_name" text NOT NULL,
	"attache_view" text,
	"dependents_authorised" integer DEFAULT 0 NOT NULL,
	"quarters" text DEFAULT 'commercial' NOT NULL,
	"mess" boolean DEFAULT false NOT NULL,
	"withdrawn_on" date,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	CONSTRAINT "nominations_quarters" CHECK ("nominations"."quarters" in ('commercial', 'government')),
	CONSTRAINT "nominations_dependents" CHECK ("nominations"."dependents_authorised" between 0 and 20)
);
--> statement-breakpoint
CREATE TABLE "school_events" (
	"id" text PRIMARY KEY NOT NULL,
	"seat_id" text NOT NULL,
	"student_id" text NOT NULL,
	"event" text NOT NULL,
	"cause" text,
	"on_date" date NOT NULL,
	"academic_report" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	CONSTRAINT "school_events_event" CHECK ("school_events"."event" in ('arrival', 'in-training', 'completed', 'not-completed')),
	CONSTRAINT "school_events_cause" CHECK (("school_events"."event" = 'not-completed') = ("school_events"."cause" is not null) and ("school_events"."cause" is null or "school_events"."cause" in ('failed', 'withdrawn', 'awol')))
);
--> statement-breakpoint
CREATE TABLE "travel_orders" (
	"number" text NOT NULL,
	"revision" integer NOT NULL,
	"seat_id" text NOT NULL,
	"student_id" text NOT NULL,
	"issued_on" date NOT NULL,
	"content" text NOT NULL,
	"reason" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	CONSTRAINT "travel_orders_number_revision_pk" PRIMARY KEY("number","revision"),
	CONSTRAINT "travel_orders_revision" CHECK ("travel_orders"."revision" >= 0)
);
--> statement-breakpoint
CREATE TABLE "unit_vettings" (
	"id" text PRIMARY KEY NOT NULL,
	"country_iso3" text NOT NULL,
	"unit" text NOT NULL,
	"outcome" text NOT NULL,
	"on_date" date NOT NULL,
	"valid_until" date,
	"notes" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	CONSTRAINT "unit_vettings_outcome" CHECK ("unit_vettings"."outcome" in ('approved', 'suspended', 'denied'))
);
--> statement-breakpoint
ALTER TABLE "career_positions" ADD COLUMN "location" text;--> statement-breakpoint
ALTER TABLE "career_positions" ADD COLUMN "prominence" text;--> statement-breakpoint
ALTER TABLE "screenings" ADD COLUMN "level" text;--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "passport_expires_on" date;--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "service_number" text;--> statement-breakpoint
ALTER TABLE "training_records" ADD COLUMN "program_code" text;--> statement-breakpoint
ALTER TABLE "training_records" ADD COLUMN "cause" text;--> statement-breakpoint
ALTER TABLE "training_records" ADD COLUMN "charge_cents" bigint;--> statement-breakpoint
ALTER TABLE "training_records" ADD COLUMN "allowance_stopped_on" date;--> statement-breakpoint
ALTER TABLE "english_exemptions" ADD CONSTRAINT "english_exemptions_country_iso3_countries_iso3_fk" FOREIGN KEY ("country_iso3") REFERENCES "public"."countries"("iso3") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "human_rights_findings" ADD CONSTRAINT "human_rights_findings_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nominations" ADD CONSTRAINT "nominations_seat_id_seats_id_fk" FOREIGN KEY ("seat_id") REFERENCES "public"."seats"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nominations" ADD CONSTRAINT "nominations_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_events" ADD CONSTRAINT "school_events_seat_id_seats_id_fk" FOREIGN KEY ("seat_id") REFERENCES "public"."seats"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_events" ADD CONSTRAINT "school_events_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "travel_orders" ADD CONSTRAINT "travel_orders_seat_id_seats_id_fk" FOREIGN KEY ("seat_id") REFERENCES "public"."seats"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "travel_orders" ADD CONSTRAINT "travel_orders_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_vettings" ADD CONSTRAINT "unit_vettings_country_iso3_countries_iso3_fk" FOREIGN KEY ("country_iso3") REFERENCES "public"."countries"("iso3") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "human_rights_findings_student_idx" ON "human_rights_findings" USING btree ("student_id");--> statement-breakpoint
CREATE UNIQUE INDEX "nominations_active_seat" ON "nominations" USING btree ("seat_id") WHERE "nominations"."withdrawn_on" is null;--> statement-breakpoint
CREATE INDEX "nominations_student_idx" ON "nominations" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "school_events_seat_idx" ON "school_events" USING btree ("seat_id");--> statement-breakpoint
CREATE INDEX "travel_orders_seat_idx" ON "travel_orders" USING btree ("seat_id");--> statement-breakpoint
CREATE INDEX "unit_vettings_unit_idx" ON "unit_vettings" USING btree ("country_iso3","unit");--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_program_code_programs_code_fk" FOREIGN KEY ("program_code") REFERENCES "public"."programs"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "career_positions_student_idx" ON "career_positions" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "screenings_student_idx" ON "screenings" USING btree ("student_id","kind");--> statement-breakpoint
CREATE INDEX "students_unit_idx" ON "students" USING btree ("country_iso3","unit");--> statement-breakpoint
CREATE UNIQUE INDEX "training_records_seat" ON "training_records" USING btree ("seat_id");--> statement-breakpoint
CREATE INDEX "training_records_student_idx" ON "training_records" USING btree ("student_id");--> statement-breakpoint
ALTER TABLE "career_positions" DROP COLUMN "prominent";--> statement-breakpoint
ALTER TABLE "career_positions" ADD CONSTRAINT "career_positions_prominence" CHECK ("career_positions"."prominence" is null or "career_positions"."prominence" in ('chief-of-service', 'general-officer', 'minister', 'attache-major-capital'));--> statement-breakpoint
ALTER TABLE "screenings" ADD CONSTRAINT "screenings_kind" CHECK ("screenings"."kind" in ('leahy-person', 'medical', 'dental', 'insurance', 'security', 'passport', 'visa', 'designation-7031c', 'ecl', 'opi'));--> statement-breakpoint
ALTER TABLE "screenings" ADD CONSTRAINT "screenings_outcome" CHECK ("screenings"."outcome" in ('approved', 'suspended', 'denied', 'passed', 'failed', 'covered', 'not-covered', 'cleared', 'refused', 'valid', 'invalid', 'issued', 'pending', 'designated', 'not-designated', 'scored'));--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_outcome" CHECK ("training_records"."outcome" is null or "training_records"."outcome" in ('completed', 'not-completed'));
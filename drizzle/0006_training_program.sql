DROP INDEX "allocations_current";--> statement-breakpoint
ALTER TABLE "allocations" ADD COLUMN "effective_from" date DEFAULT '1950-01-01' NOT NULL;--> statement-breakpoint
ALTER TABLE "seats" ADD COLUMN "cancellation_reason" text;--> statement-breakpoint
ALTER TABLE "seats" ADD COLUMN "cancelled_on" date;--> statement-breakpoint
ALTER TABLE "seats" ADD COLUMN "refilled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "seats" ADD COLUMN "penalty_rule" text;--> statement-breakpoint
ALTER TABLE "seats" ADD COLUMN "flagged" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "seats" ADD COLUMN "flag_reason" text;--> statement-breakpoint
CREATE UNIQUE INDEX "allocations_current" ON "allocations" USING btree ("country_iso3","program_code","fiscal_year","effective_from") WHERE "allocations"."superseded_at" is null;
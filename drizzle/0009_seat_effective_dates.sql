ALTER TABLE "seats" ADD COLUMN "held_on" date;--> statement-breakpoint
ALTER TABLE "seats" ADD COLUMN "flagged_on" date;
CREATE TABLE "reprogramming_sources" (
	"reprogramming_id" text NOT NULL,
	"country_iso3" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"cents" bigint NOT NULL,
	CONSTRAINT "reprogramming_sources_reprogramming_id_country_iso3_pk" PRIMARY KEY("reprogramming_id","country_iso3"),
	CONSTRAINT "reprogramming_sources_cents" CHECK ("reprogramming_sources"."cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "reprogrammings" (
	"id" text PRIMARY KEY NOT NULL,
	"fiscal_year" integer NOT NULL,
	"pool" text NOT NULL,
	"proposed_on" date NOT NULL,
	"basis" text NOT NULL,
	"used_cents" bigint NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reprogramming_sources" ADD CONSTRAINT "reprogramming_sources_reprogramming_id_reprogrammings_id_fk" FOREIGN KEY ("reprogramming_id") REFERENCES "public"."reprogrammings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reprogramming_sources" ADD CONSTRAINT "reprogramming_sources_country_iso3_countries_iso3_fk" FOREIGN KEY ("country_iso3") REFERENCES "public"."countries"("iso3") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reprogramming_sources_fy_idx" ON "reprogramming_sources" USING btree ("fiscal_year","country_iso3");
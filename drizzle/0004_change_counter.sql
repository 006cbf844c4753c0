CREATE TABLE "change_counter" (
	"id" integer PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "change_counter_single_row" CHECK ("change_counter"."id" = 1)
);

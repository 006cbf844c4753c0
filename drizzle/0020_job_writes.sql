CREATE TABLE "job_writes" (
	"job_id" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);

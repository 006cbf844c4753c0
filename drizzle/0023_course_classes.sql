CREATE TABLE "course_classes" (
	"course_id" text NOT NULL,
	"class_start" date NOT NULL,
	"international_seats" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "course_classes_course_id_class_start_pk" PRIMARY KEY("course_id","class_start"),
	CONSTRAINT "course_classes_seats" CHECK ("course_classes"."international_seats" >= 0)
);
--> statement-breakpoint
ALTER TABLE "course_classes" ADD CONSTRAINT "course_classes_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;
CREATE TABLE "data_migrations" (
	"name" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_migrations_name_not_blank" CHECK (length(btrim("data_migrations"."name")) > 0)
);

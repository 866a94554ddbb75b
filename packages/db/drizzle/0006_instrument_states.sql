CREATE TABLE "instrument_states" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"items_total" integer NOT NULL,
	"items_agreed" integer NOT NULL,
	"items_in_discussion" integer NOT NULL,
	"round_number" integer,
	"round_open" boolean DEFAULT false NOT NULL,
	"round_items" integer,
	"round_revealed" integer,
	"round_raters" integer,
	"round_raters_done" integer,
	"readiness" text,
	"barriers" integer,
	"section_scores" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"projected_seq" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instrument_states_readiness" CHECK ("instrument_states"."readiness" in ('ready', 'blocked', 'incomplete')),
	CONSTRAINT "instrument_states_counts" CHECK ("instrument_states"."items_agreed" between 0 and "instrument_states"."items_total" and "instrument_states"."items_in_discussion" >= 0)
);
--> statement-breakpoint
-- Rows projected before rounds were kept apart: their reveal is taken as round 1 (the projector
-- projects every instrument again on start, since none has an instrument_states row yet).
ALTER TABLE "ratings" ADD COLUMN "round_id" text NOT NULL DEFAULT 'r1';--> statement-breakpoint
ALTER TABLE "ratings" ALTER COLUMN "round_id" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "instrument_states" ADD CONSTRAINT "instrument_states_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instrument_states" ADD CONSTRAINT "instrument_states_document_fk" FOREIGN KEY ("document_id","workspace_id") REFERENCES "public"."documents"("id","workspace_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "instrument_states_workspace_idx" ON "instrument_states" USING btree ("workspace_id");--> statement-breakpoint
ALTER TABLE "ratings" DROP CONSTRAINT "ratings_pkey";
--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_pkey" PRIMARY KEY("document_id","indicator_id","rater_id","round_id");--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_round_id" CHECK ("ratings"."round_id" ~ '^r[0-9]{1,6}$');
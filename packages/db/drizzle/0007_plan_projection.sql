-- Plans get a projection mark like instrument_states.projected_seq. No plan has a row yet, so
-- the projector projects every plan on its next start (catch-up), replacing the goals, steps and
-- metrics rows only the demo seed wrote before.
CREATE TABLE "plan_states" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"projected_seq" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plan_states" ADD CONSTRAINT "plan_states_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_states" ADD CONSTRAINT "plan_states_document_fk" FOREIGN KEY ("document_id","workspace_id") REFERENCES "public"."documents"("id","workspace_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_states_workspace_idx" ON "plan_states" USING btree ("workspace_id");
-- Every owner of a goal (goal_owners) and each metric's measurements over time (metric_values),
-- projected from the plans. Forgetting every plan's projection mark makes the projector project
-- every plan again on its next start (catch-up), which fills both tables; goals, steps and metrics
-- stay as they are meanwhile.
DELETE FROM "plan_states";--> statement-breakpoint
CREATE TABLE "goal_owners" (
	"workspace_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"goal_id" text NOT NULL,
	"position" integer NOT NULL,
	"user_id" uuid,
	"name" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_owners_pkey" PRIMARY KEY("document_id","goal_id","position"),
	CONSTRAINT "goal_owners_user_or_name" CHECK (("goal_owners"."user_id" is null) <> ("goal_owners"."name" is null)),
	CONSTRAINT "goal_owners_name_not_blank" CHECK (length(btrim("goal_owners"."name")) > 0),
	CONSTRAINT "goal_owners_position" CHECK ("goal_owners"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "metric_values" (
	"workspace_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"metric_id" text NOT NULL,
	"subgroup" text NOT NULL,
	"measured_on" date NOT NULL,
	"value" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_values_pkey" PRIMARY KEY("document_id","metric_id","subgroup","measured_on")
);
--> statement-breakpoint
ALTER TABLE "goal_owners" ADD CONSTRAINT "goal_owners_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_owners" ADD CONSTRAINT "goal_owners_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_owners" ADD CONSTRAINT "goal_owners_goal_fk" FOREIGN KEY ("document_id","goal_id") REFERENCES "public"."goals"("document_id","goal_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_owners" ADD CONSTRAINT "goal_owners_document_fk" FOREIGN KEY ("document_id","workspace_id") REFERENCES "public"."documents"("id","workspace_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_values" ADD CONSTRAINT "metric_values_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_values" ADD CONSTRAINT "metric_values_metric_fk" FOREIGN KEY ("document_id","metric_id","subgroup") REFERENCES "public"."metrics"("document_id","metric_id","subgroup") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_values" ADD CONSTRAINT "metric_values_document_fk" FOREIGN KEY ("document_id","workspace_id") REFERENCES "public"."documents"("id","workspace_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "goal_owners_workspace_idx" ON "goal_owners" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "goal_owners_user_idx" ON "goal_owners" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "metric_values_workspace_idx" ON "metric_values" USING btree ("workspace_id");
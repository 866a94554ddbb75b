CREATE TABLE "external_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"provider_user_id" text NOT NULL,
	"email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "external_accounts_provider_user_key" UNIQUE("provider","provider_user_id"),
	CONSTRAINT "external_accounts_provider_slug" CHECK ("external_accounts"."provider" ~ '^[a-z0-9][a-z0-9_-]*$')
);
--> statement-breakpoint
CREATE TABLE "password_credentials" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "password_credentials_argon2" CHECK ("password_credentials"."password_hash" like '$argon2%')
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_agent" text,
	"ip" "inet",
	CONSTRAINT "sessions_id_sha256_hex" CHECK ("sessions"."id" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "sessions_expiry_after_creation" CHECK ("sessions"."expires_at" > "sessions"."created_at")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_shape" CHECK ("users"."email" ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
	CONSTRAINT "users_display_name_not_blank" CHECK (length(btrim("users"."display_name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "districts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"state" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "districts_name_not_blank" CHECK (length(btrim("districts"."name")) > 0),
	CONSTRAINT "districts_state_code" CHECK ("districts"."state" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"workspace_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"represents" text,
	"school_id" uuid,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" uuid,
	CONSTRAINT "invitations_token_hash_key" UNIQUE("token_hash"),
	CONSTRAINT "invitations_token_hash_sha256_hex" CHECK ("invitations"."token_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "invitations_role" CHECK ("invitations"."role" in ('owner', 'facilitator', 'rater', 'viewer')),
	CONSTRAINT "invitations_represents" CHECK ("invitations"."represents" in ('district', 'school')),
	CONSTRAINT "invitations_school_matches_represents" CHECK (coalesce("invitations"."represents" = 'school', false) = ("invitations"."school_id" is not null)),
	CONSTRAINT "invitations_expiry_after_creation" CHECK ("invitations"."expires_at" > "invitations"."created_at")
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"represents" text,
	"school_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_pkey" PRIMARY KEY("workspace_id","user_id"),
	CONSTRAINT "memberships_role" CHECK ("memberships"."role" in ('owner', 'facilitator', 'rater', 'viewer')),
	CONSTRAINT "memberships_represents" CHECK ("memberships"."represents" in ('district', 'school')),
	CONSTRAINT "memberships_school_matches_represents" CHECK (coalesce("memberships"."represents" = 'school', false) = ("memberships"."school_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schools_district_name_key" UNIQUE("district_id","name"),
	CONSTRAINT "schools_name_not_blank" CHECK (length(btrim("schools"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "workspace_schools" (
	"workspace_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	CONSTRAINT "workspace_schools_pkey" PRIMARY KEY("workspace_id","school_id")
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_id" uuid NOT NULL,
	"name" text NOT NULL,
	"school_year" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_name_not_blank" CHECK (length(btrim("workspaces"."name")) > 0),
	CONSTRAINT "workspaces_school_year_shape" CHECK ("workspaces"."school_year" ~ '^[0-9]{4}-[0-9]{2}$')
);
--> statement-breakpoint
CREATE TABLE "custom_templates" (
	"id" text NOT NULL,
	"version" integer NOT NULL,
	"template" jsonb NOT NULL,
	"imported_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_templates_pkey" PRIMARY KEY("id","version"),
	CONSTRAINT "custom_templates_version_positive" CHECK ("custom_templates"."version" > 0),
	CONSTRAINT "custom_templates_key_matches_json" CHECK ("custom_templates"."template" ->> 'id' = "custom_templates"."id" and "custom_templates"."template" ->> 'version' = "custom_templates"."version"::text)
);
--> statement-breakpoint
CREATE TABLE "document_checkpoints" (
	"document_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"state" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_checkpoints_pkey" PRIMARY KEY("document_id","seq"),
	CONSTRAINT "document_checkpoints_seq_positive" CHECK ("document_checkpoints"."seq" > 0)
);
--> statement-breakpoint
CREATE TABLE "document_updates" (
	"document_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"update" "bytea" NOT NULL,
	"update_hash" "bytea" NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_updates_pkey" PRIMARY KEY("document_id","seq"),
	CONSTRAINT "document_updates_document_hash_key" UNIQUE("document_id","update_hash"),
	CONSTRAINT "document_updates_seq_positive" CHECK ("document_updates"."seq" > 0),
	CONSTRAINT "document_updates_not_empty" CHECK (octet_length("document_updates"."update") > 0),
	CONSTRAINT "document_updates_hash_sha256" CHECK (octet_length("document_updates"."update_hash") = 32)
);
--> statement-breakpoint
CREATE TABLE "document_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"label" text,
	"kind" text NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_versions_kind" CHECK ("document_versions"."kind" in ('named', 'auto')),
	CONSTRAINT "document_versions_seq_non_negative" CHECK ("document_versions"."seq" >= 0),
	CONSTRAINT "document_versions_named_has_label" CHECK ("document_versions"."kind" <> 'named' or length(btrim(coalesce("document_versions"."label", ''))) > 0)
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"parent_id" uuid,
	"template_id" text,
	"template_version" integer,
	"title" text NOT NULL,
	"school_id" uuid,
	"owner_id" uuid,
	"revealed_at" timestamp with time zone,
	"head_seq" bigint DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_id_workspace_key" UNIQUE("id","workspace_id"),
	CONSTRAINT "documents_kind" CHECK ("documents"."kind" in ('prerequisites', 'assessment', 'ratings', 'plan', 'comments')),
	CONSTRAINT "documents_title_not_blank" CHECK (length(btrim("documents"."title")) > 0),
	CONSTRAINT "documents_head_seq_non_negative" CHECK ("documents"."head_seq" >= 0),
	CONSTRAINT "documents_template_pair" CHECK (("documents"."template_id" is null) = ("documents"."template_version" is null) and coalesce("documents"."template_version", 1) > 0),
	CONSTRAINT "documents_owner_iff_ratings" CHECK (("documents"."kind" = 'ratings') = ("documents"."owner_id" is not null)),
	CONSTRAINT "documents_parent_iff_child_kind" CHECK ("documents"."kind" in ('ratings', 'comments') = ("documents"."parent_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "action_steps" (
	"workspace_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"step_id" text NOT NULL,
	"goal_id" text NOT NULL,
	"title" text NOT NULL,
	"owner_id" uuid,
	"owner_name" text,
	"due_date" date,
	"status" text DEFAULT 'not-started' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_steps_pkey" PRIMARY KEY("document_id","step_id"),
	CONSTRAINT "action_steps_status" CHECK ("action_steps"."status" in ('not-started', 'in-progress', 'done', 'blocked')),
	CONSTRAINT "action_steps_title_not_blank" CHECK (length(btrim("action_steps"."title")) > 0)
);
--> statement-breakpoint
CREATE TABLE "consensus" (
	"workspace_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"indicator_id" text NOT NULL,
	"value" integer,
	"rationale" text,
	"status" text DEFAULT 'not-discussed' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consensus_pkey" PRIMARY KEY("document_id","indicator_id"),
	CONSTRAINT "consensus_status" CHECK ("consensus"."status" in ('not-discussed', 'in-discussion', 'agreed')),
	CONSTRAINT "consensus_value_range" CHECK ("consensus"."value" between 0 and 100),
	CONSTRAINT "consensus_indicator_slug" CHECK ("consensus"."indicator_id" ~ '^[A-Za-z0-9][A-Za-z0-9._:-]*$'),
	CONSTRAINT "consensus_agreed_is_decided" CHECK ("consensus"."status" <> 'agreed' or ("consensus"."value" is not null and "consensus"."decided_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"workspace_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"goal_id" text NOT NULL,
	"area_id" text NOT NULL,
	"title" text NOT NULL,
	"owner_id" uuid,
	"owner_name" text,
	"phase_year" integer,
	"start_date" date,
	"due_date" date,
	"status" text DEFAULT 'not-started' NOT NULL,
	"confidence" text,
	"indicator_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goals_pkey" PRIMARY KEY("document_id","goal_id"),
	CONSTRAINT "goals_status_slug" CHECK ("goals"."status" ~ '^[A-Za-z0-9][A-Za-z0-9._:-]*$'),
	CONSTRAINT "goals_confidence" CHECK ("goals"."confidence" in ('low', 'medium', 'high')),
	CONSTRAINT "goals_phase_year" CHECK ("goals"."phase_year" between 1 and 20),
	CONSTRAINT "goals_dates_ordered" CHECK ("goals"."start_date" <= "goals"."due_date"),
	CONSTRAINT "goals_title_not_blank" CHECK (length(btrim("goals"."title")) > 0)
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"workspace_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"metric_id" text NOT NULL,
	"subgroup" text DEFAULT 'all' NOT NULL,
	"goal_id" text,
	"name" text NOT NULL,
	"source" text,
	"unit" text,
	"baseline" double precision,
	"target" double precision,
	"current" double precision,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metrics_pkey" PRIMARY KEY("document_id","metric_id","subgroup"),
	CONSTRAINT "metrics_subgroup_slug" CHECK ("metrics"."subgroup" ~ '^[A-Za-z0-9][A-Za-z0-9._:-]*$'),
	CONSTRAINT "metrics_name_not_blank" CHECK (length(btrim("metrics"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"workspace_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"indicator_id" text NOT NULL,
	"rater_id" uuid NOT NULL,
	"value" integer,
	"note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ratings_pkey" PRIMARY KEY("document_id","indicator_id","rater_id"),
	CONSTRAINT "ratings_value_range" CHECK ("ratings"."value" between 0 and 100),
	CONSTRAINT "ratings_indicator_slug" CHECK ("ratings"."indicator_id" ~ '^[A-Za-z0-9][A-Za-z0-9._:-]*$')
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" uuid NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_log_action" CHECK ("audit_log"."action" in ('workspace.create', 'workspace.update', 'membership.add', 'membership.remove', 'membership.role-change', 'invitation.create', 'invitation.revoke', 'invitation.accept', 'ratings.reveal', 'ratings.hide', 'consensus.record', 'document.create', 'document.delete', 'version.mark', 'version.restore', 'template.import', 'workspace.export', 'workspace.import')),
	CONSTRAINT "audit_log_data_object" CHECK (jsonb_typeof("audit_log"."data") = 'object')
);
--> statement-breakpoint
ALTER TABLE "external_accounts" ADD CONSTRAINT "external_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_credentials" ADD CONSTRAINT "password_credentials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_used_by_users_id_fk" FOREIGN KEY ("used_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schools" ADD CONSTRAINT "schools_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_schools" ADD CONSTRAINT "workspace_schools_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_schools" ADD CONSTRAINT "workspace_schools_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_templates" ADD CONSTRAINT "custom_templates_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_checkpoints" ADD CONSTRAINT "document_checkpoints_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_updates" ADD CONSTRAINT "document_updates_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_updates" ADD CONSTRAINT "document_updates_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_versions" ADD CONSTRAINT "document_versions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_versions" ADD CONSTRAINT "document_versions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_parent_id_documents_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_steps" ADD CONSTRAINT "action_steps_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_steps" ADD CONSTRAINT "action_steps_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_steps" ADD CONSTRAINT "action_steps_goal_fk" FOREIGN KEY ("document_id","goal_id") REFERENCES "public"."goals"("document_id","goal_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_steps" ADD CONSTRAINT "action_steps_document_fk" FOREIGN KEY ("document_id","workspace_id") REFERENCES "public"."documents"("id","workspace_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consensus" ADD CONSTRAINT "consensus_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consensus" ADD CONSTRAINT "consensus_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consensus" ADD CONSTRAINT "consensus_document_fk" FOREIGN KEY ("document_id","workspace_id") REFERENCES "public"."documents"("id","workspace_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_document_fk" FOREIGN KEY ("document_id","workspace_id") REFERENCES "public"."documents"("id","workspace_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_goal_fk" FOREIGN KEY ("document_id","goal_id") REFERENCES "public"."goals"("document_id","goal_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_document_fk" FOREIGN KEY ("document_id","workspace_id") REFERENCES "public"."documents"("id","workspace_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_rater_id_users_id_fk" FOREIGN KEY ("rater_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_document_fk" FOREIGN KEY ("document_id","workspace_id") REFERENCES "public"."documents"("id","workspace_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "external_accounts_user_idx" ON "external_accounts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "invitations_workspace_idx" ON "invitations" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "memberships_user_idx" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "workspace_schools_school_idx" ON "workspace_schools" USING btree ("school_id");--> statement-breakpoint
CREATE INDEX "workspaces_district_idx" ON "workspaces" USING btree ("district_id");--> statement-breakpoint
CREATE INDEX "document_versions_document_seq_idx" ON "document_versions" USING btree ("document_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_one_ratings_per_rater" ON "documents" USING btree ("parent_id","owner_id") WHERE "documents"."kind" = 'ratings';--> statement-breakpoint
CREATE INDEX "documents_workspace_idx" ON "documents" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "documents_parent_idx" ON "documents" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "action_steps_workspace_idx" ON "action_steps" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "consensus_workspace_idx" ON "consensus" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "goals_workspace_idx" ON "goals" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "goals_owner_idx" ON "goals" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "metrics_workspace_idx" ON "metrics" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "ratings_workspace_idx" ON "ratings" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "audit_log_workspace_created_idx" ON "audit_log" USING btree ("workspace_id","created_at");